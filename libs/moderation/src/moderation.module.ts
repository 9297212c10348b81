import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AccountsModule } from '@plenary/accounts';
import { ConsultationsModule } from '@plenary/consultations';
import { ContributionsModule } from '@plenary/contributions';
import { DocumentsModule } from '@plenary/documents';
import { ClustersService } from './clusters/clusters.service';
import { ClusterReadModel } from './clusters/cluster-read-model';
import { DispositionsService } from './dispositions.service';
import { ModerationController } from './moderation.controller';
import { MODERATION_ENTITIES } from './moderation.entity';
import { ModerationRepository } from './moderation.repository';
import { ModerationService } from './moderation.service';

@Module({
  imports: [
    TypeOrmModule.forFeature(MODERATION_ENTITIES),
    AccountsModule,
    ConsultationsModule,
    DocumentsModule,
    ContributionsModule,
  ],
  controllers: [ModerationController],
  providers: [ModerationRepository, ModerationService, ClustersService, DispositionsService, ClusterReadModel],
  exports: [ModerationService, ClustersService, DispositionsService, ClusterReadModel],
})
export class ModerationModule {}
