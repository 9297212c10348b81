export * from './live-client';
