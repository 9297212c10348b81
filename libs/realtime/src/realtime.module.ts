import { Module } from '@nestjs/common';
import { AccountsModule } from '@plenary/accounts';
import { ConsultationsModule } from '@plenary/consultations';
import { LiveGateway } from './live.gateway';

/** Wired in by apps/api only: no lib imports realtime. */
@Module({
  imports: [AccountsModule, ConsultationsModule],
  providers: [LiveGateway],
})
export class RealtimeModule {}
