import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ConsultationsModule } from '@plenary/consultations';
import { AccountsModule } from '@plenary/accounts';
import { DocumentEntity, DocumentVersionEntity, ParagraphEntity, SectionEntity } from './document.entity';
import { DocumentsController } from './documents.controller';
import { DocumentsRepository } from './documents.repository';
import { DocumentsService } from './documents.service';
import { DocumentReadExtensions } from './read-extensions';
import { RoundChangeEntity, RoundEntity } from './rounds/round.entity';
import { RoundsController } from './rounds/rounds.controller';
import { RoundsRepository } from './rounds/rounds.repository';
import { RoundsService } from './rounds/rounds.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([DocumentEntity, DocumentVersionEntity, SectionEntity, ParagraphEntity, RoundEntity, RoundChangeEntity]),
    ConsultationsModule,
    AccountsModule,
  ],
  controllers: [DocumentsController, RoundsController],
  providers: [DocumentsRepository, DocumentsService, RoundsRepository, RoundsService, DocumentReadExtensions],
  exports: [DocumentsService, RoundsService, DocumentReadExtensions],
})
export class DocumentsModule {}
