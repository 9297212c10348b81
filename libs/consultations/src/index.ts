export * from './consultations.module';
export * from './consultation-access';
export * from './consultations.errors';
export * from './consultations.service';
export * from './dto/consultation.dto';
export { ConsultationEntity, ConsultationMemberEntity } from './consultation.entity';
export * from './event-outbox';
export * from './events.service';
export { ConsultationEventEntity, EventCounterEntity } from './event.entity';
