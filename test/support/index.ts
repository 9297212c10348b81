export * from './app';
export * from './factories';
