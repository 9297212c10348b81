import { Module } from '@nestjs/common';
import { AccountsModule } from '@plenary/accounts';
import { ConsultationsModule } from '@plenary/consultations';
import { ContributionsModule } from '@plenary/contributions';
import { EventDelivery } from './event-delivery';
import { EventsController } from './events.controller';
import { LiveGateway } from './live.gateway';

/** Wired in by apps/api only: no lib imports realtime. */
@Module({
  imports: [AccountsModule, ConsultationsModule, ContributionsModule],
  controllers: [EventsController],
  providers: [LiveGateway, EventDelivery],
})
export class RealtimeModule {}
