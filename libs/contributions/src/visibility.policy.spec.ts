import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createTestDatabase } from '@plenary/database/testing';
import { Client } from 'pg';
import { CONTRIBUTION_STATUSES } from './contribution.entity';
import { PUBLIC_VIEWER, atLeast, sight, Viewer, visibleSql } from './visibility.policy';

const AUTHOR = '00000000-0000-4000-8000-0000000000a1';
const OTHER = '00000000-0000-4000-8000-0000000000b2';
const viewers: [string, Viewer][] = [
  ['public', PUBLIC_VIEWER],
  ['author', { userId: AUTHOR, moderator: false }],
  ['another participant', { userId: OTHER, moderator: false }],
  ['moderator', { userId: OTHER, moderator: true }],
];

describe('the visibility policy', () => {
  it('shows the text of published contributions to all, a trace of hidden ones, and nothing else to outsiders', () => {
    expect(CONTRIBUTION_STATUSES.map((s) => sight({ status: s, authorId: AUTHOR }, PUBLIC_VIEWER))).toEqual([
      'none',
      'text',
      'none',
      'trace',
      'none',
    ]);
    for (const s of CONTRIBUTION_STATUSES) {
      expect(sight({ status: s, authorId: AUTHOR }, { userId: AUTHOR, moderator: false })).toBe('text');
      expect(sight({ status: s, authorId: AUTHOR }, { userId: OTHER, moderator: true })).toBe('text');
    }
  });

  it('says the same in SQL as in JavaScript, for every status, reader and level', async () => {
    const db = await createTestDatabase();
    const c = new Client({ connectionString: db.url });
    await c.connect();
    try {
      for (const [, viewer] of viewers) {
        for (const min of ['trace', 'text'] as const) {
          for (const status of CONTRIBUTION_STATUSES) {
            const params: unknown[] = [status, AUTHOR];
            const cond = visibleSql('c', viewer, min, (v) => {
              params.push(v);
              return `$${params.length}`;
            });
            const { rows } = await c.query(
              `SELECT (${cond}) AS seen FROM (SELECT $1::text AS status, $2::uuid AS author_id) c`,
              params,
            );
            expect({ viewer, min, status, seen: rows[0].seen }).toEqual({
              viewer,
              min,
              status,
              seen: atLeast(sight({ status, authorId: AUTHOR }, viewer), min),
            });
          }
        }
      }
    } finally {
      await c.end();
      await db.drop();
    }
  });

  it('is the only place that decides which statuses the public may read', () => {
    // A status list such as `status IN ('published', 'hidden')` or `status === 'published'` written in a read path
    // would be a second copy of the rule. Writes (decisions, withdrawal) and the rule itself are the exceptions.
    const root = join(__dirname, '..', '..');
    const files: string[] = [];
    const walk = (d: string) => {
      for (const f of readdirSync(d)) {
        const p = join(d, f);
        if (statSync(p).isDirectory()) {
          if (f !== 'migrations' && f !== 'node_modules') walk(p);
        } else if (p.endsWith('.ts') && !p.endsWith('.spec.ts')) files.push(p);
      }
    };
    walk(root);
    const copies = files
      .filter((f) => !f.endsWith('visibility.policy.ts'))
      .flatMap((f) =>
        readFileSync(f, 'utf8')
          .split('\n')
          .map((line, i) => ({ f, i: i + 1, line }))
          .filter(
            ({ line }) =>
              /status\s+IN\s*\(\s*'published'\s*,\s*'hidden'/i.test(line) ||
              /status\s*===\s*'published'\s*\|\|[^;]*status\s*===\s*'hidden'/.test(line),
          ),
      )
      .map(({ f, i, line }) => `${f.slice(root.length + 1)}:${i}: ${line.trim()}`);
    expect(copies).toEqual([]);
  });
});
