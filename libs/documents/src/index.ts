export * from './documents.module';
export * from './documents.errors';
export * from './documents.service';
export * from './rounds/rounds.service';
export * from './dto/document.response';
export * from './import/parse-draft';
export * from './diff/diff-versions';
export { DocumentEntity, DocumentVersionEntity, SectionEntity, ParagraphEntity } from './document.entity';
export { RoundEntity, RoundChangeEntity } from './rounds/round.entity';
