import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import en from '../../apps/web/src/locales/en';
import fr from '../../apps/web/src/locales/fr';

/** Every key as a dotted path, with the {{placeholders}} its text uses. */
function flatten(o: Record<string, unknown>, prefix = ''): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [k, v] of Object.entries(o)) {
    const key = prefix + k;
    if (typeof v === 'string') out.set(key, [...v.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort());
    else for (const [kk, vv] of flatten(v as Record<string, unknown>, `${key}.`)) out.set(kk, vv);
  }
  return out;
}

const base = (key: string) => key.replace(/_(one|other|zero|few|many)$/, '');

describe('the web app speaks English and French', () => {
  const E = flatten(en);
  const F = flatten(fr);

  it('has the same keys in both languages', () => {
    expect([...F.keys()].sort()).toEqual([...E.keys()].sort());
  });

  it('uses the same placeholders in both languages', () => {
    const differ = [...E].filter(([k, p]) => JSON.stringify(F.get(k)) !== JSON.stringify(p)).map(([k]) => k);
    expect(differ).toEqual([]);
  });

  it('has every key the source asks for', () => {
    const dir = join(__dirname, '../../apps/web/src');
    const source = readdirSync(dir)
      .filter((f) => f.endsWith('.tsx'))
      .map((f) => readFileSync(join(dir, f), 'utf8'))
      .join('\n');
    const known = new Set([...E.keys()].map(base));
    const prefixes = new Set(
      [...known].flatMap((k) =>
        k
          .split('.')
          .slice(0, -1)
          .map((_, i, a) => a.slice(0, i + 1).join('.')),
      ),
    );
    const fixed = [...source.matchAll(/\bt\('([^']+)'/g)].map((m) => m[1]);
    const dynamic = [...source.matchAll(/\bt\(`([\w.]+)\.\$\{/g)].map((m) => m[1]);
    expect(fixed.length).toBeGreaterThan(100);
    expect(fixed.filter((k) => !known.has(k))).toEqual([]);
    expect(dynamic.filter((p) => !prefixes.has(p))).toEqual([]);
  });
});
