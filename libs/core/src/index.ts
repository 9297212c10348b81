export * from './config/app-config';
export * from './config/config.module';
export * from './errors/domain-error';
export * from './errors/exception.filter';
export * from './http/validation';
export * from './clock';
export * from './http/params';
export * from './events/domain-events';
