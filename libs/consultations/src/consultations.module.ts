import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@plenary/accounts';
import { ConsultationAccess } from './consultation-access';
import { ConsultationEntity, ConsultationMemberEntity } from './consultation.entity';
import { ConsultationsController } from './consultations.controller';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';
import { ConsultationEventEntity, EventCounterEntity } from './event.entity';
import { EventOutbox } from './event-outbox';
import { EventsService } from './events.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      ConsultationEntity,
      ConsultationMemberEntity,
      ConsultationEventEntity,
      EventCounterEntity,
    ]),
    AccountsModule,
  ],
  controllers: [ConsultationsController],
  providers: [ConsultationsRepository, ConsultationsService, ConsultationAccess, EventOutbox, EventsService],
  exports: [ConsultationAccess, ConsultationsService, EventOutbox, EventsService],
})
export class ConsultationsModule {}
