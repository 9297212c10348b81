import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, DiscoveryModule } from '@nestjs/core';
import { TerminusModule } from '@nestjs/terminus';
import { LoggerModule } from 'nestjs-pino';
import { AccountsModule } from '@plenary/accounts';
import { ConsultationsModule } from '@plenary/consultations';
import { AppConfig, ConfigModule, DomainExceptionFilter } from '@plenary/core';
import { DatabaseModule } from '@plenary/database';
import { DocumentsModule } from '@plenary/documents';
import { ContributionsModule } from '@plenary/contributions';
import { RealtimeModule } from '@plenary/realtime';
import { ModerationModule } from '@plenary/moderation';
import { ReportsModule } from '@plenary/reports';
import { DemoSeeder } from './demo/demo-seeder';
import { HealthController } from './health/health.controller';

/** Wiring only: every rule lives in a lib. */
@Module({})
export class AppModule {
  static register(config: AppConfig): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(config),
        LoggerModule.forRoot({
          pinoHttp: {
            level: config.logLevel,
            redact: ['req.headers.authorization', 'req.headers.cookie', 'req.body.password'],
            customLogLevel: (_req, res, err) =>
              err || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info',
          },
        }),
        DatabaseModule.forRoot(),
        TerminusModule.forRoot({ errorLogStyle: 'pretty', logger: false }),
        AccountsModule,
        ConsultationsModule,
        DocumentsModule,
        ContributionsModule,
        ModerationModule,
        ReportsModule,
        RealtimeModule,
        // Lets tests (and later the realtime lib) enumerate controllers and routes.
        DiscoveryModule,
      ],
      controllers: [HealthController],
      providers: [{ provide: APP_FILTER, useClass: DomainExceptionFilter }, DemoSeeder],
    };
  }
}
