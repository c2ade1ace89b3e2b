import { version } from '../../package.json';

/** The lab's version, recorded with every run. */
export const APP_VERSION: string = version;
