import { DynamicModule, Global, Module } from '@nestjs/common';
import { Clock } from '../clock';
import { DomainEvents } from '../events/domain-events';
import { APP_CONFIG, AppConfig } from './app-config';

/** Provides the configuration validated at boot (nothing else reads the environment) and the one clock. */
@Global()
@Module({})
export class ConfigModule {
  static forRoot(config: AppConfig): DynamicModule {
    return {
      module: ConfigModule,
      providers: [{ provide: APP_CONFIG, useValue: config }, Clock, DomainEvents],
      exports: [APP_CONFIG, Clock, DomainEvents],
    };
  }
}
