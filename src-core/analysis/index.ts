export * from './early-stopping';
export * from './sentence';
export * from './gap';
export * from './confusion';
export * from './seeds';
export * from './stopping-rule';
export * from './collapse';
