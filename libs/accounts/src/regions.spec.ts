import { isISO31661Alpha2 } from 'class-validator';
import { memberStates, regionFor } from './regions';

describe('UN regional groups', () => {
  it('covers the 193 Member States, each once, with valid ISO codes', () => {
    const all = memberStates();
    expect(all).toHaveLength(193);
    expect(new Set(all).size).toBe(193);
    for (const c of all) expect(isISO31661Alpha2(c)).toBe(true);
  });

  it('has the expected group sizes (Kiribati counted in Asia-Pacific, the US in WEOG)', () => {
    const counts: Record<string, number> = {};
    for (const c of memberStates()) counts[regionFor(c)] = (counts[regionFor(c)] ?? 0) + 1;
    expect(counts).toEqual({
      african: 54,
      asia_pacific: 54,
      eastern_european: 23,
      latin_american_caribbean: 33,
      western_european_others: 29,
    });
  });

  it.each([
    ['SN', 'african'],
    ['ZA', 'african'],
    ['EG', 'african'],
    ['CN', 'asia_pacific'],
    ['FJ', 'asia_pacific'],
    ['SA', 'asia_pacific'],
    ['CY', 'asia_pacific'],
    ['HU', 'eastern_european'],
    ['RU', 'eastern_european'],
    ['BR', 'latin_american_caribbean'],
    ['TT', 'latin_american_caribbean'],
    ['CH', 'western_european_others'],
    ['NZ', 'western_european_others'],
  ])('%s is %s', (country, group) => {
    expect(regionFor(country)).toBe(group);
  });

  it.each([
    ['US', 'western_european_others'],
    ['TR', 'western_european_others'],
    ['IL', 'western_european_others'],
    ['KI', 'asia_pacific'],
  ])('special case %s is %s', (country, group) => {
    expect(regionFor(country)).toBe(group);
  });

  it.each(['VA', 'PS', 'TW', 'PR', 'HK', 'GL', 'AQ'])('non-member or territory %s is other', (country) => {
    expect(regionFor(country)).toBe('other');
  });

  it('ignores case', () => {
    expect(regionFor('ke')).toBe('african');
  });
});
