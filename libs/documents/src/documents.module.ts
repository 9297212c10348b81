import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsultationsModule } from '@plenary/consultations';
import { AccountsModule } from '@plenary/accounts';
import { DocumentEntity, DocumentVersionEntity, ParagraphEntity, SectionEntity } from './document.entity';
import { DocumentsController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { DraftReader } from './import/draft-reader';
import { DocumentReadExtensions } from './read-extensions';
import { ParagraphLookup } from './read-model/paragraph-lookup';
import { SubmissionTargets } from './read-model/submission-targets';
import { RoundChangeEntity, RoundEntity } from './rounds/round.entity';
import { RoundsController } from './rounds/rounds.controller';
import { RoundsRepository } from './rounds/rounds.repository';
import { RoundsService } from './rounds/rounds.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([
      DocumentEntity,
      DocumentVersionEntity,
      SectionEntity,
      ParagraphEntity,
      RoundEntity,
      RoundChangeEntity,
    ]),
    ConsultationsModule,
    AccountsModule,
  ],
  controllers: [DocumentsController, RoundsController],
  providers: [
    DocumentsRepository,
    DocumentsService,
    DraftReader,
    RoundsRepository,
    RoundsService,
    DocumentReadExtensions,
    ParagraphLookup,
    SubmissionTargets,
  ],
  exports: [DocumentsService, RoundsService, DocumentReadExtensions, ParagraphLookup, SubmissionTargets],
})
export class DocumentsModule {}
