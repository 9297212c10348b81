#!/usr/bin/env node
// `npm start`: builds when the sources are newer than the last build, then runs the server in this process.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const stamp = join(root, 'dist', '.build-stamp');
const entry = join(root, 'dist', 'apps', 'api', 'src', 'main.js');

function newest(dir) {
  let t = 0;
  if (!existsSync(dir)) return t;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newest(p) : statSync(p).mtimeMs);
  }
  return t;
}

export function buildIfNeeded() {
  const sources = Math.max(
    newest(join(root, 'apps')),
    newest(join(root, 'libs')),
    statSync(join(root, 'package.json')).mtimeMs,
  );
  if (existsSync(stamp) && existsSync(entry) && statSync(stamp).mtimeMs >= sources) return;
  process.stdout.write('Building Plenary (first start or sources changed)...\n');
  const r = spawnSync(
    process.execPath,
    [join(root, 'node_modules', '@nestjs', 'cli', 'bin', 'nest.js'), 'build', 'api'],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) {
    process.stderr.write('The build failed; see above.\n');
    process.exit(r.status ?? 1);
  }
  const web = join(root, 'apps', 'web', 'index.html');
  if (existsSync(web)) {
    const w = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
    if (w.status !== 0) process.exit(w.status ?? 1);
  }
  writeFileSync(stamp, new Date().toISOString());
}

if (import.meta.url === `file://${process.argv[1]}`) {
  buildIfNeeded();
  await import(entry);
}
