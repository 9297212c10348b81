export * from './moderation.module';
export * from './moderation.errors';
export * from './moderation.service';
export * from './dispositions.service';
export * from './clusters/clusters.service';
export * from './clusters/minhash';
export * from './clusters/cluster-index';
export * from './clusters/campaign';
export { MODERATION_ENTITIES, DECISION_ACTIONS, REASON_CODES, FLAG_REASONS, DISPOSITIONS } from './moderation.entity';
