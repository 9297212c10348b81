import { MAX_DIFF_EDITS, wordDiff } from './diff-versions';

const words = (n: number, seed: number) =>
  Array.from({ length: n }, (_, i) => ((i * 7919 + seed) % 65521).toString(16)).join(' ');

describe('wordDiff', () => {
  it('shows the smallest change for an ordinary amendment', () => {
    expect(wordDiff('Access should be universal.', 'Access should be universal and affordable.')).toEqual([
      { op: 'equal', text: 'Access should be universal ' },
      { op: 'insert', text: 'and affordable' },
      { op: 'equal', text: '.' },
    ]);
  });

  it(`gives up past ${MAX_DIFF_EDITS} edits and shows the whole text replaced, so two long, unrelated texts cost little`, () => {
    const from = words(1500, 1);
    const to = words(2000, 2);
    expect(wordDiff(from, to)).toEqual([
      { op: 'delete', text: from },
      { op: 'insert', text: to },
    ]);
  });
});
