import pkg from '../../../package.json' with { type: 'json' };

/** The lab's version, recorded with every run. */
export const APP_VERSION: string = pkg.version;
