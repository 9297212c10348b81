import { inputProblem, MAX_BODY_DEPTH } from './body-guards';

describe('inputProblem', () => {
  it('accepts ordinary text, including characters made of a surrogate pair', () => {
    expect(inputProblem(JSON.parse('{"body":"ok \\ud83d\\ude00 é 中文","tags":["a","b"],"n":1}'))).toBeNull();
    expect(inputProblem({ 'clé 😀': 'x' })).toBeNull();
  });

  it.each([
    ['a lone high surrogate', '{"body":"\\ud800"}', /lone UTF-16 surrogate \(\\ud800\) in "body"/],
    ['a lone low surrogate', '{"body":"x\\udc00y"}', /lone UTF-16 surrogate \(\\udc00\) in "body"/],
    ['reversed halves', '{"body":"\\ude00\\ud83d"}', /lone UTF-16 surrogate/],
    ['a high surrogate at the end', '{"body":"text\\udbff"}', /lone UTF-16 surrogate/],
    ['a surrogate deep in an array', '{"items":[{"x":["ok","\\ud800"]}]}', /in "items"/],
    ['a surrogate in a field name', '{"\\ud800":1}', /lone UTF-16 surrogate \(\\ud800\) in a field name/],
    ['a surrogate in a nested field name', '{"a":{"b\\udc00":1}}', /in a field name inside "a"/],
    ['a NUL character', '{"body":"a\\u0000b"}', /NUL character \(\\u0000\) in "body"/],
  ])('refuses %s, naming it', (_what, json, message) => {
    expect(inputProblem(JSON.parse(json))).toMatch(message);
  });

  it('checks query values the same way', () => {
    expect(inputProblem({ q: ['fine', 'bad\udfff'] })).toMatch(/in "q"/);
  });

  it('refuses nesting deeper than the limit without recursing', () => {
    let deep: unknown = 1;
    for (let i = 0; i < MAX_BODY_DEPTH + 5; i++) deep = { a: deep };
    expect(inputProblem(deep)).toMatch(/nested more than/);
  });

  it('scans a long string in one pass (a lone surrogate at the very end of 1 MB)', () => {
    // Not a timing assertion: a backtracking scan would not finish within jest's default timeout.
    expect(inputProblem({ body: `${'\ud83d\ude00'.repeat(250_000)}${'a'.repeat(500_000)}\ud800` })).toMatch(
      /surrogate/,
    );
  });
});
