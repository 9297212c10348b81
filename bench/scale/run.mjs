#!/usr/bin/env node
// bench/scale: the reads that matter at 1,000,000 contributions over 500 paragraphs from 20,000 stakeholders.
// Seeds in stages (BENCH_STAGES, default 10000,100000,1000000) with SQL, and at each stage times, through the HTTP
// API of an in-process server: the document view with counts, filtered listings (group, paragraph, a deep cursor
// page), full-text search, a paragraph's thread; at the last stage also the open-data export and report generation.
// For each read it captures the SQL the app actually sent and prints EXPLAIN (ANALYZE, BUFFERS) of the slowest one.
// Baseline in the same run: the per-paragraph counts as a GROUP BY over the contributions (what the summary table
// replaces). Usage: npm run bench:scale   (PostgreSQL at BENCH_DATABASE_URL, default local; needs ~3 GB of disk)
import pg from 'pg';
import { inProcessApp, quantiles, scratchDatabase } from '../lib.mjs';

const STAGES = (process.env.BENCH_STAGES ?? '10000,100000,1000000').split(',').map(Number);
const REPEAT = Number(process.env.BENCH_REPEAT ?? 15);
const PARAGRAPHS = 500;
const USERS = 20_000;
const GROUPS = [
  'government',
  'intergovernmental',
  'private_sector',
  'civil_society',
  'technical_community',
  'academia',
];
const PLACES = [
  ['KE', 'african'],
  ['BR', 'latin_american_caribbean'],
  ['JP', 'asia_pacific'],
  ['DE', 'western_european_others'],
  ['PL', 'eastern_european'],
  ['IN', 'asia_pacific'],
  ['SN', 'african'],
  ['FR', 'western_european_others'],
];
const WORDS = (
  'access affordable broadband capacity community connectivity cooperation cybersecurity data development digital divide ' +
  'education equitable financing gender governance inclusive infrastructure innovation internet literacy local measurement ' +
  'multilingual multistakeholder networks open participation privacy regional resilience rights rural security skills spectrum ' +
  'standards sustainable technology trust universal women youth accountability agenda benchmark coordination dialogue ecosystem ' +
  'evidence framework indicators interoperability mandate monitoring partnership policy priority review stakeholders targets ' +
  'transparency unconnected vision cloud content exchange peering traffic points investment public private academia civil ' +
  'society government technical community secretariat member states national forum annual report consultation paragraph ' +
  'amendment proposal support oppose delete insert replace clarify strengthen reference resolution outcome document text'
).split(' ');

const db = await scratchDatabase('scale');
const raw = new pg.Client({ connectionString: db.url });
await raw.connect();
let app;
const line = (...a) => console.log(...a);
try {
  const started = await inProcessApp(db.url);
  app = started.app;
  const { json, accessToken } = started;
  // Reads as the public (most readers are): published and hidden-as-a-trace contributions.
  const auth = {};
  const c = await json(
    'POST',
    '/api/consultations',
    { title: 'Scale', code: 'SCALE', moderationPolicy: 'post' },
    accessToken,
  );
  await json('PATCH', `/api/consultations/${c.id}`, { status: 'open' }, accessToken);
  const draft = [
    '# Scale draft',
    ...Array.from(
      { length: PARAGRAPHS },
      (_, i) => `${i + 1}. Paragraph ${i + 1} on **regional cooperation** and digital development.`,
    ),
  ].join('\n\n');
  const { document } = await json(
    'POST',
    `/api/consultations/${c.id}/documents`,
    { format: 'markdown', content: draft },
    accessToken,
  );
  const round = await json(
    'POST',
    `/api/consultations/${c.id}/rounds`,
    {
      documentId: document.id,
      opensAt: new Date(Date.now() - 60_000).toISOString(),
      closesAt: new Date(Date.now() + 86400_000).toISOString(),
    },
    accessToken,
  );
  const paragraphs = document.sections.flatMap((s) => s.paragraphs);
  const [{ version_id: versionId }] = (
    await raw.query('SELECT version_id FROM paragraphs WHERE id = $1', [paragraphs[0].id])
  ).rows;
  const [{ password_hash: hash }] = (await raw.query(`SELECT password_hash FROM users LIMIT 1`)).rows;

  let t0 = performance.now();
  await raw.query(
    `INSERT INTO users (email, password_hash, display_name, stakeholder_group, organisation, country, region, capacity, verified)
     SELECT 'stakeholder' || g || '@example.org', $1, 'Stakeholder ' || g, ($2::text[])[1 + g % 6], 'Organisation ' || (g % 3000),
            ($3::text[])[1 + g % 8], ($4::text[])[1 + g % 8], CASE WHEN g % 3 = 0 THEN 'representative' ELSE 'personal' END, g % 10 = 0
       FROM generate_series(1, ${USERS}) g`,
    [hash, GROUPS, PLACES.map((p) => p[0]), PLACES.map((p) => p[1])],
  );
  const users = (
    await raw.query(
      `SELECT id, display_name, stakeholder_group, organisation, country, region FROM users WHERE email LIKE 'stakeholder%' ORDER BY email`,
    )
  ).rows;
  line(`seeded ${users.length} stakeholders in ${((performance.now() - t0) / 1000).toFixed(1)} s`);

  let seeded = 0;
  /** n more contributions: skewed towards the first paragraphs, 1 in 7 an amendment, 2 % pending, 1 % hidden. */
  async function seed(n) {
    for (let done = 0; done < n; done += 100_000) {
      const from = seeded + 1;
      const to = seeded + Math.min(100_000, n - done);
      await raw.query(
        `INSERT INTO contributions (id, seq, tx, tracking_number, consultation_id, round_id, round_number, document_id, version_id, version_number,
           paragraph_id, paragraph_label, lineage_key, kind, depth, status, body, proposed_text, content_hash, author_id, author_name, author_group,
           author_organisation, author_country, author_region, author_capacity, author_verified, submitted_at, endorsement_count)
         SELECT gen_random_uuid(), nextval('contribution_seq'), txid_current(), 'SCALE-R1-' || lpad(g::text, 7, '0'), $1, $2, 1, $3, $4, 1,
                ($5::uuid[])[p], ($6::text[])[p], ($7::uuid[])[p],
                CASE WHEN g % 7 = 0 THEN 'amendment' ELSE 'comment' END, 0,
                CASE WHEN g % 50 = 0 THEN 'pending' WHEN g % 97 = 0 THEN 'hidden' ELSE 'published' END,
                body, CASE WHEN g % 7 = 0 THEN 'Proposed: ' || body END, repeat('0', 64),
                ($8::uuid[])[u], ($9::text[])[u], ($10::text[])[u], ($11::text[])[u], ($12::text[])[u], ($13::text[])[u], 'personal', false,
                now() - make_interval(secs => (${to} - g)), (g % 5)
           FROM generate_series(${from}, ${to}) g,
                LATERAL (SELECT 1 + floor(${PARAGRAPHS} * power(((g::bigint * 2654435761) % 1000003) / 1000003.0, 2))::int AS p,
                                1 + ((g::bigint * 40503) % ${USERS})::int AS u) pick,
                LATERAL (SELECT string_agg(($14::text[])[1 + ((g::bigint * 31 + k * 97 + k * k * 13) % ${WORDS.length})::int], ' ') AS body
                           FROM generate_series(1, 12 + (g % 20)::int) k) words`,
        [
          c.id,
          round.id,
          document.id,
          versionId,
          paragraphs.map((p) => p.id),
          paragraphs.map((p) => p.label),
          paragraphs.map((p) => p.lineageKey),
          users.map((x) => x.id),
          users.map((x) => x.display_name),
          users.map((x) => x.stakeholder_group),
          users.map((x) => x.organisation),
          users.map((x) => x.country),
          users.map((x) => x.region),
          WORDS,
        ],
      );
      seeded = to;
    }
    // What autovacuum does in the background on a live server, done now so the reads see a settled table.
    await raw.query('VACUUM ANALYZE');
  }

  // Capture the SQL the app sends while serving one request, with how long each statement took.
  const captured = [];
  let capturing = false;
  const original = pg.Client.prototype.query;
  pg.Client.prototype.query = function (config, values, cb) {
    if (!capturing || typeof cb === 'function' || typeof values === 'function')
      return original.call(this, config, values, cb);
    const text = typeof config === 'string' ? config : config?.text;
    const params = typeof config === 'object' && config?.values ? config.values : values;
    const start = performance.now();
    const r = original.call(this, config, values);
    if (r && typeof r.then === 'function')
      r.then(
        () => captured.push({ text, params, ms: performance.now() - start }),
        () => undefined,
      );
    return r;
  };
  async function timed(name, path, { accept = 'json' } = {}) {
    const ms = [];
    for (let i = 0; i < REPEAT + 3; i++) {
      const t = performance.now();
      const res = await fetch(`${started.base}${path}`, { headers: auth });
      if (!res.ok) throw new Error(`${path}: ${res.status} ${await res.text()}`);
      await (accept === 'json' ? res.json() : res.arrayBuffer());
      if (i >= 3) ms.push(performance.now() - t);
    }
    captured.length = 0;
    capturing = true;
    await (await fetch(`${started.base}${path}`, { headers: auth })).arrayBuffer();
    capturing = false;
    const slowest = captured
      .filter((q) => !/^(BEGIN|COMMIT|ROLLBACK|SELECT 1)/i.test(q.text ?? ''))
      .sort((a, b) => b.ms - a.ms)[0];
    const q = quantiles(ms);
    return { name, p50: q.p50, p95: [...ms].sort((a, b) => a - b)[Math.floor(ms.length * 0.95)] ?? q.p50, slowest };
  }
  async function explain(q) {
    if (!q?.text) return '(no statement captured)';
    const rows = (await raw.query(`EXPLAIN (ANALYZE, BUFFERS, COSTS OFF) ${q.text}`, q.params ?? [])).rows;
    return rows.map((r) => r['QUERY PLAN']).join('\n');
  }

  const civil = 'civil_society';
  const hot = paragraphs[0];
  const plans = [];
  const results = [];
  for (const stage of STAGES) {
    t0 = performance.now();
    await seed(stage - seeded);
    line(
      `\n== ${seeded.toLocaleString('en')} contributions (seeded in ${((performance.now() - t0) / 1000).toFixed(0)} s)`,
    );
    const reads = [
      await timed('document view with counts', `/api/documents/${document.id}`),
      await timed('listing, newest first', `/api/consultations/${c.id}/contributions?order=desc&limit=50`),
      await timed(
        'listing by stakeholder group',
        `/api/consultations/${c.id}/contributions?group=${civil}&order=desc&limit=50`,
      ),
      await timed(
        'listing by region and kind',
        `/api/consultations/${c.id}/contributions?region=african&kind=amendment&limit=50`,
      ),
      await timed(
        'listing by paragraph',
        `/api/consultations/${c.id}/contributions?paragraph=${paragraphs[250].id}&limit=50`,
      ),
      await timed(
        'full-text search',
        `/api/consultations/${c.id}/contributions?q=${encodeURIComponent('spectrum rural')}&limit=50`,
      ),
    ];
    // A deep page: follow the cursor 20 pages down.
    let cursor = null;
    for (let i = 0; i < 20; i++) {
      const page = await (
        await fetch(
          `${started.base}/api/consultations/${c.id}/contributions?group=${civil}&limit=50${cursor ? `&cursor=${cursor}` : ''}`,
          { headers: auth },
        )
      ).json();
      cursor = page.nextCursor;
    }
    reads.push(
      await timed(
        'listing by group, page 21 (cursor)',
        `/api/consultations/${c.id}/contributions?group=${civil}&limit=50&cursor=${cursor}`,
      ),
    );
    // Baseline: the counts as a GROUP BY over the contributions (what the document view did before the summary table).
    const base = [];
    for (let i = 0; i < 5; i++) {
      const t = performance.now();
      await raw.query(
        `SELECT lineage_key, count(*) AS published, count(*) FILTER (WHERE kind = 'amendment') AS amendments, coalesce(sum(endorsement_count), 0) AS endorsements
           FROM contributions WHERE document_id = $1 AND status = 'published' GROUP BY lineage_key`,
        [document.id],
      );
      base.push(performance.now() - t);
    }
    const groupBy = quantiles(base).p50;
    for (const r of reads)
      line(`${r.name.padEnd(38)} p50 ${r.p50.toFixed(1).padStart(7)} ms   p95 ${r.p95.toFixed(1).padStart(7)} ms`);
    line(
      `${'baseline: counts by GROUP BY (raw pg)'.padEnd(38)} p50 ${groupBy.toFixed(1).padStart(7)} ms   (document view / baseline: ${(reads[0].p50 / groupBy).toFixed(2)})`,
    );
    results.push({ stage: seeded, reads, groupBy });
    if (stage === STAGES[STAGES.length - 1]) {
      for (const r of reads)
        plans.push({ name: r.name, sql: r.slowest?.text, ms: r.slowest?.ms, plan: await explain(r.slowest) });
      // The thread of the busiest paragraph (it holds the most contributions of all): its first page.
      const thread = await timed('thread of the busiest paragraph', `/api/paragraphs/${hot.id}/contributions`);
      plans.push({
        name: thread.name,
        sql: thread.slowest?.text,
        ms: thread.slowest?.ms,
        plan: await explain(thread.slowest),
      });
      const [{ n }] = (
        await raw.query(`SELECT count(*)::int AS n FROM contributions WHERE lineage_key = $1`, [hot.lineageKey])
      ).rows;
      line(
        `${`thread, busiest paragraph (${n}), page 1`.padEnd(38)} p50 ${thread.p50.toFixed(1).padStart(7)} ms   p95 ${thread.p95.toFixed(1).padStart(7)} ms`,
      );
      const counts = await explain({
        text: 'SELECT lineage_key, published, amendments, endorsements FROM paragraph_counts WHERE document_id = $1',
        params: [document.id],
      });
      plans.push({
        name: 'document view: the counts (summary table)',
        sql: 'SELECT lineage_key, published, amendments, endorsements FROM paragraph_counts WHERE document_id = $1',
        plan: counts,
      });
      // Open data: time to the first byte and to the end.
      t0 = performance.now();
      const res = await fetch(`${started.base}/api/consultations/${c.id}/contributions/export?format=csv`, {
        headers: auth,
      });
      const reader = res.body.getReader();
      let first = null;
      let bytes = 0;
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        first ??= performance.now() - t0;
        bytes += value.length;
      }
      const total = performance.now() - t0;
      line(
        `${'open-data export (CSV)'.padEnd(38)} first byte ${first.toFixed(0)} ms, all ${(bytes / 1e6).toFixed(0)} MB in ${(total / 1000).toFixed(1)} s`,
      );
      t0 = performance.now();
      try {
        await json('POST', `/api/consultations/${c.id}/reports`, {}, accessToken);
        line(`${'report generation'.padEnd(38)} ${((performance.now() - t0) / 1000).toFixed(1)} s`);
      } catch (e) {
        line(
          `${'report generation'.padEnd(38)} FAILED after ${((performance.now() - t0) / 1000).toFixed(1)} s: ${e.message.slice(0, 200)}`,
        );
      }
    }
  }
  pg.Client.prototype.query = original;
  line('\n== Query plans at the last stage (the slowest statement of each read, as the app sent it)');
  for (const p of plans)
    line(
      `\n-- ${p.name} (${p.ms?.toFixed(1)} ms)\nSELECT … ${p.sql?.replace(/\s+/g, ' ').slice(p.sql.replace(/\s+/g, ' ').indexOf(' FROM '), 900)}\n${p.plan}`,
    );
} finally {
  await app?.close();
  await raw.end();
  await db.drop();
}
