export * from './activation';
export * from './loss';
export * from './params';
export * from './reference';
export * from './workspace';
export * from './sparse-forward';
export * from './sparse-backward';
export * from './kernels';
