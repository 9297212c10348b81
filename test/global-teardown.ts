import { adminQuery } from '../libs/database/src/testing';

export default async function globalTeardown(): Promise<void> {
  const {
    PLENARY_TEST_DB_KIND: kind,
    PLENARY_TEST_DB_ADMIN_URL: url,
    PLENARY_TEST_DB_TEMPLATE: template,
  } = process.env;
  if (kind !== 'server' || !url || !template) return;
  const run = template.replace('plenary_tpl_', '');
  const dbs = (await adminQuery(url, `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`, [
    template,
    `plenary_t_${run}_%`,
  ])) as { datname: string }[];
  for (const { datname } of dbs)
    await adminQuery(url, `DROP DATABASE IF EXISTS ${datname} WITH (FORCE)`).catch(() => undefined);
}
