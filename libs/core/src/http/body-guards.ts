import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/** How deep a request body may nest: far beyond any real payload, far below what recursion in validation survives. */
export const MAX_BODY_DEPTH = 32;

/**
 * body-parser's `verify` hook: refuse bytes that are not UTF-8 rather than let the parser replace them with U+FFFD
 * and store text the sender never wrote.
 */
export function verifyUtf8(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf)) throw Object.assign(new Error('The request body is not valid UTF-8.'), { type: 'entity.verify.failed', status: 400 });
}

/**
 * What is wrong with a parsed body or query, if anything: nesting deeper than MAX_BODY_DEPTH, or a NUL character
 * (PostgreSQL text cannot hold one). Iterative, so a hostile body cannot exhaust the stack here either.
 */
export function inputProblem(value: unknown): string | null {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length) {
    const [v, depth] = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return 'The request contains a NUL character (\\u0000), which text cannot hold.';
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`;
    for (const [k, x] of Object.entries(v)) {
      if (k.includes('\u0000')) return 'The request contains a NUL character (\\u0000), which text cannot hold.';
      stack.push([x, depth + 1]);
    }
  }
  return null;
}
