import { extname, join } from 'node:path';

/**
 * How the draft worker is started, in production and under jest alike.
 *
 * Production runs dist/ (CommonJS from the nest swc build), where draft-worker.ts is compiled to draft-worker.js
 * beside this file. Jest runs the TypeScript sources through @swc/jest, which lives in jest's module registry and
 * does not reach a worker thread: a worker there gets plain Node, which cannot load a .ts file. So the worker is
 * started from this small bootstrap (Worker `eval` mode), which requires the entry beside this file with the
 * extension this file has. When that is `.ts` it first teaches Node's require to compile TypeScript with
 * @swc/core (a dev dependency, resolved by the parent and only in that case), the same compiler jest uses.
 * Nothing to copy at build time (no `assets`), no second copy of the code in JavaScript, and the bootstrap is
 * the only code path in both worlds besides that one `if`.
 */
export const WORKER_BOOTSTRAP = `'use strict';
const { workerData } = require('node:worker_threads');
if (workerData.swc) {
  const { readFileSync } = require('node:fs');
  const { transformSync } = require(workerData.swc);
  const options = { swcrc: false, jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } };
  require.extensions['.ts'] = (module, filename) =>
    module._compile(transformSync(readFileSync(filename, 'utf8'), { ...options, filename }).code, filename);
}
require(workerData.entry);
`;

export interface WorkerEntry {
  /** The worker's module: draft-worker.js in dist, draft-worker.ts in the sources. */
  entry: string;
  /** Path of @swc/core when the entry is TypeScript, else null. */
  swc: string | null;
}

export function workerEntry(): WorkerEntry {
  const ext = extname(__filename);
  const entry = join(__dirname, `draft-worker${ext}`);
  return { entry, swc: ext === '.ts' ? require.resolve('@swc/core') : null };
}
