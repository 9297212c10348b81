import { CAMPAIGN_TEMPLATE, campaignCopy, ordinaryText, rng } from './campaign';
import { ClusterIndex, groupMatches } from './cluster-index';
import { exactHash, fingerprint, normalise, similarity } from './minhash';

describe('fingerprints', () => {
  it('normalises case, punctuation and spacing for the exact hash', () => {
    expect(normalise('  Hello,   WORLD!\n')).toBe('hello world');
    expect(exactHash('Hello, world!')).toBe(exactHash('hello   WORLD'));
    expect(exactHash('Hello, world!')).not.toBe(exactHash('Hello, there!'));
  });

  it('estimates similarity: copies with small edits high, unrelated texts low', () => {
    const r = rng(7);
    const a = fingerprint(CAMPAIGN_TEMPLATE);
    const copy = fingerprint(campaignCopy(r));
    const other = fingerprint(ordinaryText(r));
    expect(similarity(a.signature, copy.signature)).toBeGreaterThan(0.6);
    expect(similarity(a.signature, other.signature)).toBeLessThan(0.1);
    expect(a.buckets).toHaveLength(32);
  });

  it('finds a planted campaign among ordinary contributions with precision and recall of at least 0.95', () => {
    const r = rng(42);
    const items: { id: string; text: string; planted: boolean }[] = [];
    for (let i = 0; i < 2000; i++) {
      const planted = r() < 0.05;
      items.push({ id: `c${i}`, text: planted ? campaignCopy(r) : ordinaryText(r), planted });
    }
    const index = new ClusterIndex();
    const groups = groupMatches(items.map((x) => ({ id: x.id, match: index.add(x.id, fingerprint(x.text)) })));
    const planted = new Set(items.filter((x) => x.planted).map((x) => x.id));
    const largest = [...groups.values()].sort((a, b) => b.members.length - a.members.length)[0];
    const found = new Set(largest.members.map((m) => m.id));
    const hits = [...found].filter((id) => planted.has(id)).length;
    const precision = hits / found.size;
    const recall = hits / planted.size;
    expect(planted.size).toBeGreaterThan(50);
    expect(precision).toBeGreaterThanOrEqual(0.95);
    expect(recall).toBeGreaterThanOrEqual(0.95);
    // Ordinary texts do not form clusters of their own.
    expect([...groups.values()].filter((g) => g !== largest).reduce((n, g) => n + g.members.length, 0)).toBeLessThan(5);
  });
});
