/** The platform model: accounts, services and names. Plain typed data; imports nothing else in the repo. */
export * from './environments';
export * from './catalogue';
export * from './naming';
export * from './fargate';
export * from './errors';
export * from './validate';
export * from './config';
export * from './queries';
export * from './delivery';
export * from './versions';
