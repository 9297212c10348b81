import type { EntityManager } from 'typeorm';

/**
 * A transaction handle that services pass back to repositories. Services never touch TypeORM themselves;
 * inside a transaction every query must go through this one handle (PGlite would deadlock otherwise).
 */
export type Tx = EntityManager;

/**
 * The rows an UPDATE … RETURNING gave back: TypeORM's `query` answers `[rows, count]` for an UPDATE on PostgreSQL
 * and plain rows elsewhere (the embedded database, other statements).
 */
export function returnedRows<T>(res: unknown): T[] {
  const list = res as unknown[];
  return (Array.isArray(list[0]) ? list[0] : list) as T[];
}
