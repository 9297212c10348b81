// The baseline for bench/ingest: a bare Node http server that inserts the same contribution rows with raw `pg`,
// one INSERT per request, with no authentication, validation, rules or framework. Configured by BASELINE_CONFIG (JSON).
import { randomUUID, createHash } from 'node:crypto';
import http from 'node:http';
import pg from 'pg';

const cfg = JSON.parse(process.env.BASELINE_CONFIG);
const pool = new pg.Pool({ connectionString: cfg.databaseUrl, max: cfg.poolSize });
await pool.query('CREATE SEQUENCE IF NOT EXISTS bench_baseline_seq');

// The same rows as the app writes: the contribution and, unless BASELINE_EVENTS=0, its outbox event numbered
// per consultation under the same counter row.
const withEvent = process.env.BASELINE_EVENTS !== '0';
const SQL = `
  WITH s AS (SELECT nextval('bench_baseline_seq') AS v), c AS (
  INSERT INTO contributions (id, seq, tx, tracking_number, consultation_id, round_id, round_number, document_id, version_id, version_number,
    paragraph_id, paragraph_label, lineage_key, kind, depth, status, body, content_hash, author_id, author_name, author_group,
    author_organisation, author_country, author_region, author_capacity, author_verified, submitted_at)
  SELECT $1::uuid, nextval('contribution_seq'), pg_current_xact_id()::text::bigint, 'BASE-R1-' || lpad(s.v::text, 6, '0'), $2::uuid, $3::uuid, 1, $4::uuid, $5::uuid, 1, $6::uuid, $7, $8::uuid, $9, 0,
         'published', $10, $11, $12::uuid, $13, $14, $15, $16, $17, $18, false, now()
    FROM s RETURNING tracking_number, consultation_id, id, author_id)
  ${
    withEvent
      ? `, ctr AS (
    INSERT INTO event_counters AS ec (consultation_id, last, last_public, prev_public) SELECT consultation_id, 1, 1, 0 FROM c
    ON CONFLICT (consultation_id) DO UPDATE SET last = ec.last + 1, prev_public = ec.last_public, last_public = ec.last + 1
    RETURNING last, prev_public), ev AS (
    INSERT INTO events (consultation_id, seq, type, audience, subject_user_id, prev_public_seq, data)
    SELECT c.consultation_id, ctr.last, 'contribution.published', 'public', c.author_id, ctr.prev_public,
           jsonb_build_object('id', c.id, 'trackingNumber', c.tracking_number, 'body', $10::text) FROM c, ctr)`
      : ''
  }
  SELECT tracking_number FROM c`;

let failed = 0;
const server = http.createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', async () => {
    try {
      const body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
      const p = cfg.paragraphs[body.paragraph];
      const id = randomUUID();
      const hash = createHash('sha256')
        .update(JSON.stringify([body.kind, body.body, null, null]))
        .digest('hex');
      const a = cfg.author;
      const { rows } = await pool.query(SQL, [
        id,
        cfg.consultationId,
        cfg.roundId,
        cfg.documentId,
        cfg.versionId,
        p.id,
        p.label,
        p.lineageKey,
        body.kind,
        body.body,
        hash,
        a.id,
        a.name,
        a.group,
        a.organisation,
        a.country,
        a.region,
        a.capacity,
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
