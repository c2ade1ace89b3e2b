export * from './hvp';
export * from './lanczos';
export * from './sharpness-set';
export * from './meter';
export * from './flip-stats';
export * from './sentences';
