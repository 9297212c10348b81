import { UserDirectory } from './user-directory';
import { Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { ThrottlerModule } from '@nestjs/throttler';
import { TypeOrmModule } from '@nestjs/typeorm';
import { APP_CONFIG, AppConfig } from '@plenary/core';
import { AccountsRepository } from './accounts.repository';
import { AdminSeeder } from './admin-seeder';
import { AuthController } from './auth/auth.controller';
import { AuthService } from './auth/auth.service';
import { AccessGuard } from './auth/guards';
import { JwtStrategy, jwtKey } from './auth/jwt.strategy';
import { LocalStrategy } from './auth/local.strategy';
import { LoginLimits } from './auth/login-limits';
import { RefreshTokenEntity, SessionEntity } from './auth/session.entity';
import { UserEntity } from './user.entity';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';
import { RateLimiter } from './rate-limiter';
import { SharedThrottlerStorage, SharedThrottlerStorageModule } from './shared-throttler-storage';
import { PrincipalCache } from './auth/principal-cache';
import { AuditLog } from './audit/audit-log';
import { AuditEntryEntity } from './audit/audit.entity';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity, SessionEntity, RefreshTokenEntity, AuditEntryEntity]),
    PassportModule,
    SharedThrottlerStorageModule,
    JwtModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({
        secret: jwtKey(config.jwtSecret) as unknown as string,
        signOptions: { algorithm: 'HS256' },
      }),
    }),
    ThrottlerModule.forRootAsync({
      imports: [SharedThrottlerStorageModule],
      inject: [APP_CONFIG, SharedThrottlerStorage],
      useFactory: (config: AppConfig, storage: SharedThrottlerStorage) => ({
        throttlers: [{ name: 'auth', limit: config.authRateLimit, ttl: config.authRateWindow * 1000 }],
        storage,
      }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    UserDirectory,
    AccountsRepository,
    AuthService,
    UsersService,
    AdminSeeder,
    RateLimiter,
    LoginLimits,
    PrincipalCache,
    AuditLog,
    JwtStrategy,
    LocalStrategy,
    { provide: APP_GUARD, useClass: AccessGuard },
  ],
  exports: [AuthService, AdminSeeder, RateLimiter, PrincipalCache, AuditLog, UserDirectory],
})
export class AccountsModule {}
