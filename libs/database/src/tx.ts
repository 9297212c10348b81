import type { EntityManager } from 'typeorm';

/**
 * A transaction handle that services pass back to repositories. Services never touch TypeORM themselves;
 * inside a transaction every query must go through this one handle (PGlite would deadlock otherwise).
 */
export type Tx = EntityManager;
