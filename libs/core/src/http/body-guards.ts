import { isUtf8 } from 'node:buffer';
import type { IncomingMessage } from 'node:http';

/** How deep a request body may nest: far beyond any real payload, far below what recursion in validation survives. */
export const MAX_BODY_DEPTH = 32;

/**
 * body-parser's `verify` hook: refuse bytes that are not UTF-8 rather than let the parser replace them with U+FFFD
 * and store text the sender never wrote.
 */
export function verifyUtf8(_req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (!isUtf8(buf))
    throw Object.assign(new Error('The request body is not valid UTF-8.'), {
      type: 'entity.verify.failed',
      status: 400,
    });
}

/** A high surrogate not followed by a low one, or a low one not preceded by a high one. Fixed-width lookarounds: linear. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What in one string PostgreSQL text cannot hold, said so that the sender can fix it; `where` names the place. */
function textProblem(s: string, where: string): string | null {
  if (s.includes('\u0000')) return `The request contains a NUL character (\\u0000)${where}, which text cannot hold.`;
  const lone = LONE_SURROGATE.exec(s);
  if (lone) {
    const code = `\\u${lone[0].charCodeAt(0).toString(16)}`;
    return `The request contains a lone UTF-16 surrogate (${code})${where}: half of a character, which text cannot hold. Send whole characters; an escaped character outside the Basic Multilingual Plane needs both halves (\\ud83d\\ude00, for example).`;
  }
  return null;
}

/** A field name fit to quote back: short, with control characters, quotes and lone surrogates made visible. */
function printable(field: string): string {
  const short = field.length > 40 ? `${field.slice(0, 40)}…` : field;
  return short
    .replace(/[\u0000-\u001f"\\]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(new RegExp(LONE_SURROGATE.source, 'g'), '\uFFFD');
}

/**
 * What is wrong with a parsed body or query, if anything: nesting deeper than MAX_BODY_DEPTH, or text that
 * PostgreSQL cannot hold (a NUL character, a lone UTF-16 surrogate) in any value or field name. Iterative, so a
 * hostile body cannot exhaust the stack here either; every string is scanned once.
 */
export function inputProblem(value: unknown): string | null {
  // Each entry: a value, its depth, and the top-level field it sits in (to name in the message).
  const stack: [unknown, number, string | undefined][] = [[value, 0, undefined]];
  while (stack.length) {
    const [v, depth, field] = stack.pop()!;
    if (typeof v === 'string') {
      const problem = textProblem(v, field === undefined ? '' : ` in "${printable(field)}"`);
      if (problem) return problem;
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= MAX_BODY_DEPTH) return `The request body is nested more than ${MAX_BODY_DEPTH} levels deep.`;
    for (const [k, x] of Object.entries(v)) {
      const problem = textProblem(
        k,
        field === undefined ? ' in a field name' : ` in a field name inside "${printable(field)}"`,
      );
      if (problem) return problem;
      stack.push([x, depth + 1, field ?? k]);
    }
  }
  return null;
}
