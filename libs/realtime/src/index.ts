export * from './realtime.module';
export * from './live.protocol';
export * from './redis-io.adapter';
