#!/usr/bin/env node
// npm run migration:run | migration:revert | migration:generate -- Name
// Runs the TypeORM CLI against the built data source (apps/api/src/data-source.ts), building first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const [cmd, name] = process.argv.slice(2);
const run = (bin, args) => {
  const r = spawnSync(bin, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
};
if (!process.env.DATABASE_URL) {
  console.error(
    'Set DATABASE_URL to the PostgreSQL server to migrate (the embedded database migrates itself at start).',
  );
  process.exit(2);
}
run('npx', ['nest', 'build', 'api']);
const ds = 'dist/apps/api/src/data-source.js';
if (!existsSync(ds)) throw new Error(`${ds} is missing after the build`);
const typeorm = 'node_modules/typeorm/cli.js';
if (cmd === 'run') run('node', [typeorm, 'migration:run', '-d', ds]);
else if (cmd === 'revert') run('node', [typeorm, 'migration:revert', '-d', ds]);
else if (cmd === 'generate') {
  if (!name || !/^[A-Za-z][A-Za-z0-9]*$/.test(name)) {
    console.error('Usage: npm run migration:generate -- MigrationName');
    process.exit(2);
  }
  run('node', [typeorm, 'migration:generate', '-d', ds, '--pretty', `libs/database/src/migrations/${name}`]);
  console.log('Add the new class to libs/database/src/migrations/index.ts, then review the SQL.');
} else {
  console.error('Usage: node scripts/migrate.mjs run|revert|generate Name');
  process.exit(2);
}
