import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Files the tests read, kept in the repository (`test/fixtures/`): a clone with nothing beside it passes its own
 * tests. `context/` holds the two public documents the product grew from (the WSIS C11 draft vision, a public UN
 * document, and the CSTD follow-up slides).
 */
export function fixture(...path: string[]): string {
  return readFileSync(join(__dirname, '..', 'fixtures', ...path), 'utf8');
}
