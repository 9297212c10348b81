import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The documents the product grew from live in `shared/` beside the checkout (CI puts it there too).
 * PLENARY_SHARED_DIR points elsewhere when a checkout lives somewhere else.
 */
export function sharedContext(name: string): string {
  const dir = process.env.PLENARY_SHARED_DIR ?? join(__dirname, '..', '..', '..', 'shared');
  return readFileSync(join(dir, 'context', name), 'utf8');
}
