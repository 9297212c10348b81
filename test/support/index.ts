export * from './app';
export * from './factories';
export * from './tcp-proxy';
