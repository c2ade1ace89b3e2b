export * from './definitions';
export * from './plan';
