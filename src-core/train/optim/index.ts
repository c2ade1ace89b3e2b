export * from './optimizer';
export * from './heavy-ball';
export * from './nesterov';
export * from './adam';
export * from './create';
