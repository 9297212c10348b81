import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsultationAccess } from './consultation-access';
import { ConsultationEntity, ConsultationMemberEntity } from './consultation.entity';
import { ConsultationsController } from './consultations.controller';
import { ConsultationsRepository } from './consultations.repository';
import { ConsultationsService } from './consultations.service';

@Module({
  imports: [TypeOrmModule.forFeature([ConsultationEntity, ConsultationMemberEntity])],
  controllers: [ConsultationsController],
  providers: [ConsultationsRepository, ConsultationsService, ConsultationAccess],
  exports: [ConsultationAccess, ConsultationsService],
})
export class ConsultationsModule {}
