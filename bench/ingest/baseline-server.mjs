// The baseline for bench/ingest: a bare Node http server that inserts the same contribution rows with raw `pg`,
// one INSERT per request, with no authentication, validation, rules or framework. Configured by BASELINE_CONFIG (JSON).
import { randomUUID, createHash } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const cfg = JSON.parse(process.env.BASELINE_CONFIG);
const pool = new pg.Pool({ connectionString: cfg.databaseUrl, max: cfg.poolSize });
await pool.query('CREATE SEQUENCE IF NOT EXISTS bench_baseline_seq');

const SQL = `
  WITH s AS (SELECT nextval('bench_baseline_seq') AS v)
  INSERT INTO contributions (id, seq, tx, tracking_number, consultation_id, round_id, round_number, document_id, version_id, version_number,
    paragraph_id, paragraph_label, lineage_key, kind, depth, status, body, content_hash, author_id, author_name, author_group,
    author_organisation, author_country, author_region, author_capacity, author_verified, submitted_at)
  SELECT $1::uuid, nextval('contribution_seq'), pg_current_xact_id()::text::bigint, 'BASE-R1-' || lpad(s.v::text, 6, '0'), $2::uuid, $3::uuid, 1, $4::uuid, $5::uuid, 1, $6::uuid, $7, $8::uuid, $9, 0,
         'published', $10, $11, $12::uuid, $13, $14, $15, $16, $17, $18, false, now()
    FROM s RETURNING tracking_number`;

let failed = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const p = cfg.paragraphs[body.paragraph];
      const id = randomUUID();
      const hash = createHash('sha256').update(JSON.stringify([body.kind, body.body, null, null])).digest('hex');
      const a = cfg.author;
      const { rows } = await pool.query(SQL, [
        id, cfg.consultationId, cfg.roundId, cfg.documentId, cfg.versionId, p.id, p.label, p.lineageKey, body.kind, body.body, hash,
        a.id, a.name, a.group, a.organisation, a.country, a.region, a.capacity,
      ]);
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ id, trackingNumber: rows[0].tracking_number }));
    } catch (e) {
      if (!failed++) process.stderr.write(`baseline insert failed: ${e}\n`);
      res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: String(e) }));
    }
  });
});
server.keepAliveTimeout = 60_000;
server.listen(cfg.port, '127.0.0.1', () => process.stdout.write('baseline listening\n'));
process.on('SIGTERM', () => server.close(() => pool.end().then(() => process.exit(0))));
