/**
 * One owner per table. Each table belongs to the lib whose entity declares it; only that lib's code may read or
 * write it. Others go through the owner's service or a read model it exports. This spec reads every lib's source
 * (migrations and test helpers aside) for SQL that names a table (FROM, JOIN, INTO, UPDATE) and for TypeORM calls
 * on an entity class, and fails on any table or entity the lib does not own. There is no allow-list.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = join(__dirname, '..', '..', '..');
const libsDir = join(root, 'libs');

function sources(dir: string): string[] {
  return readdirSync(dir).flatMap((f) => {
    const p = join(dir, f);
    if (statSync(p).isDirectory())
      return f === 'migrations' || f === 'testing' || f === 'node_modules' ? [] : sources(p);
    return p.endsWith('.ts') && !p.endsWith('.spec.ts') ? [p] : [];
  });
}

const libs = readdirSync(libsDir).filter((l) => statSync(join(libsDir, l, 'src')).isDirectory());
const files = new Map(libs.map((l) => [l, sources(join(libsDir, l, 'src'))]));

/** table name → owning lib, and entity class → owning lib, from the @Entity declarations. */
const tableOwner = new Map<string, string>();
const entityOwner = new Map<string, string>();
for (const [lib, list] of files) {
  for (const f of list) {
    const src = readFileSync(f, 'utf8');
    for (const m of src.matchAll(/@Entity\('(\w+)'\)[\s\S]*?export class (\w+)/g)) {
      tableOwner.set(m[1], lib);
      entityOwner.set(m[2], lib);
    }
  }
}

const TABLE_REF = /\b(?:FROM|JOIN|INTO|UPDATE)\s+"?(\w+)"?/g;
const ENTITY_CALL =
  /\.(?:find|findOne|findBy|findOneBy|exists|count|insert|update|upsert|save|create|delete|remove|increment|decrement|createQueryBuilder|getRepository|into|from)\(\s*(\w+Entity)\b/g;

function violations(): string[] {
  const out: string[] = [];
  for (const [lib, list] of files) {
    for (const f of list) {
      const lines = readFileSync(f, 'utf8').split('\n');
      lines.forEach((line, i) => {
        const where = `${relative(root, f)}:${i + 1}`;
        for (const m of line.matchAll(TABLE_REF)) {
          const owner = tableOwner.get(m[1]);
          if (owner && owner !== lib) out.push(`${where}: ${lib} uses table ${m[1]} (owned by ${owner})`);
        }
        for (const m of line.matchAll(ENTITY_CALL)) {
          const owner = entityOwner.get(m[1]);
          if (owner && owner !== lib) out.push(`${where}: ${lib} uses entity ${m[1]} (owned by ${owner})`);
        }
      });
    }
  }
  return out;
}

describe('table ownership', () => {
  it('knows the owner of every table the migrations create', () => {
    const created = new Set<string>();
    const dir = join(libsDir, 'database', 'src', 'migrations');
    for (const f of readdirSync(dir))
      for (const m of readFileSync(join(dir, f), 'utf8').matchAll(/CREATE TABLE "(\w+)"/g)) created.add(m[1]);
    expect(created.size).toBeGreaterThan(20);
    expect([...created].filter((t) => !tableOwner.has(t) && t !== 'migrations')).toEqual([]);
  });

  it('finds table references where they are (the scan itself works)', () => {
    expect(tableOwner.get('contributions')).toBe('contributions');
    expect([...'SELECT 1 FROM contributions c JOIN paragraphs p'.matchAll(TABLE_REF)].map((m) => m[1])).toEqual([
      'contributions',
      'paragraphs',
    ]);
    expect([...'tx.findOne(ContributionEntity, {'.matchAll(ENTITY_CALL)].map((m) => m[1])).toEqual([
      'ContributionEntity',
    ]);
  });

  it('no lib reads or writes a table it does not own', () => {
    expect(violations()).toEqual([]);
  });
});
