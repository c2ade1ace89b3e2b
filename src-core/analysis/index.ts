export * from './early-stopping';
export * from './sentence';
export * from './gap';
export * from './confusion';
export * from './seeds';
