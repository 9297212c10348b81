import { execFileSync } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parse } from 'csv-parse/sync';
import JSZip from 'jszip';
import { adminQuery } from '@plenary/database/testing';
import { PdfPrinter } from './pdf';
import { reportHash } from './reports.service';
import {
  Actor,
  binary,
  openConsultation,
  OpenConsultation,
  participant,
  startTestApp,
  TestApp,
  withRoles,
} from '../../../test/support';

/**
 * Issue 14: a report is served under today's visibility policy. The fixture: alice (a representative) proposes
 * an amendment whose words ("ponies", "Pony Alliance") are hidden by a moderator after the report was made;
 * bob comments; carol writes cells a spreadsheet would run as formulas.
 */
let t: TestApp;
let chair: Actor;
let moderator: Actor;
let alice: Actor;
let bob: Actor;
let carol: Actor;
let c: OpenConsultation;
let hiddenId: string;
let reportId: string;

const SECRET = /ponies|Pony Alliance/i;
const NOTICE = '[withheld: hidden by the moderators after this report was made — reason: off topic]';
const FORMULAS = ['=HYPERLINK("http://x","y")', '+1', '-1', '@SUM(1)'];

const post = (who: Actor, label: string, body: Record<string, unknown>) =>
  t.http().post(`/api/paragraphs/${c.paragraphs[label]}/contributions`).set(who.auth).send(body).expect(201);
const served = (format: string, who?: Actor) => {
  const req = t.http().get(`/api/reports/${reportId}/export?format=${format}`);
  return (who ? req.set(who.auth) : req).buffer(true).parse(binary).expect(200);
};
const docxText = async (buf: Buffer) => (await JSZip.loadAsync(buf)).file('word/document.xml')!.async('string');

beforeAll(async () => {
  t = await startTestApp({ SUBMISSION_RATE_LIMIT: '100000' });
  chair = await withRoles(t, ['chair']);
  [moderator, alice, bob, carol] = await Promise.all([
    participant(t),
    participant(t, { stakeholderGroup: 'civil_society', country: 'KE', capacity: 'representative' }),
    participant(t, { stakeholderGroup: 'government', country: 'BR' }),
    participant(t, { stakeholderGroup: 'academia', country: 'FR' }),
  ]);
  c = await openConsultation(t, chair, { code: 'SRV' });
  await t
    .http()
    .post(`/api/consultations/${c.consultationId}/members`)
    .set(chair.auth)
    .send({ userId: moderator.id, role: 'moderator' })
    .expect(201);
  hiddenId = (
    await post(alice, '1', {
      kind: 'amendment',
      body: 'Say something about ponies.',
      proposedText: 'Access to information is a **ponies** right.',
      onBehalfOf: 'Pony Alliance',
    })
  ).body.id;
  await post(bob, '1', { kind: 'comment', body: 'Nothing to hide here.' });
  await post(carol, '2', { kind: 'comment', body: FORMULAS[0] });
  for (const f of FORMULAS.slice(1))
    await post(carol, '3', { kind: 'amendment', body: f, proposedText: `${f} Financing mechanisms.` });
  reportId = (
    await t.http().post(`/api/consultations/${c.consultationId}/reports`).set(chair.auth).send({}).expect(201)
  ).body.id;
  // After the report was made, a moderator hides alice's amendment.
  await t
    .http()
    .post(`/api/contributions/${hiddenId}/decisions`)
    .set(moderator.auth)
    .send({ action: 'hide', reason: 'off_topic' })
    .expect(200);
});
afterAll(() => t.close());

describe('a report made before a hide, served after it', () => {
  it('JSON: the public reads no hidden word, a notice in its place, and how many items were redacted and why', async () => {
    const r = (await t.http().get(`/api/reports/${reportId}`).expect(200)).body;
    expect(JSON.stringify(r)).not.toMatch(SECRET);
    expect(r.redactions).toMatchObject({ count: 1, byReason: { off_topic: 1 } });
    expect(r.redactions.note).toContain('1 item redacted');
    expect(r.redactions.note).toContain('hidden by the moderators after this report was made (reason: off topic)');
    // The hash covers the withheld words (it would let a guess be confirmed): withheld too.
    expect(r.contentHash).toBeNull();
    const amendment = r.data.paragraphs.find((p: { label: string }) => p.label === '1').amendments[0];
    expect(amendment).toMatchObject({
      contributionId: hiddenId,
      comment: NOTICE,
      proposedText: '',
      diff: [],
      organisation: '[withheld]',
      withheld: 'off_topic',
    });
    expect(amendment.trackingNumber).toMatch(/^SRV-R1-/); // a hidden contribution stays traceable
    const row = r.data.matrix.find((m: { contributionId: string }) => m.contributionId === hiddenId);
    expect(row).toMatchObject({ comment: NOTICE, proposedChange: null, status: 'hidden' });
    // The rest is untouched, figures included.
    expect(JSON.stringify(r)).toContain('Nothing to hide here.');
    expect(r.data.participation.contributions).toBe(6);
  });

  it('every export format: no hidden word, the notice, and a note at the top saying 1 item was redacted and why', async () => {
    const md = (await served('md')).body.toString('utf8');
    const html = (await served('html')).body.toString('utf8');
    const csv = (await served('csv')).body.toString('utf8');
    const json = (await served('json')).body.toString('utf8');
    const docx = await docxText((await served('docx')).body);
    for (const [name, text] of Object.entries({ md, html, csv, json, docx })) {
      expect({ name, leaks: SECRET.test(text) }).toEqual({ name, leaks: false });
      expect({ name, note: text.includes('1 item redacted') && text.includes('off topic') }).toEqual({
        name,
        note: true,
      });
    }
    // At the top: before the participation figures (md, html, docx) or as the first line (csv).
    for (const text of [md, html, docx])
      expect(text.indexOf('1 item redacted')).toBeLessThan(text.indexOf('Participation'));
    expect(csv.replace(/^\uFEFF/, '').split('\n')[0]).toContain('1 item redacted');
    expect(md).toContain(NOTICE);
    expect(html).toContain('[withheld: hidden by the moderators after this report was made — reason: off topic]');
    expect(md).toMatch(/content hash withheld/);
    const rows = parse(csv, { bom: true, columns: true, from_line: 2 }) as Record<string, string>[];
    expect(rows.find((x) => x.Comment === NOTICE)).toMatchObject({ Status: 'hidden', Organisation: '[withheld]' });
    expect(JSON.parse(json).redactions).toMatchObject({ count: 1, byReason: { off_topic: 1 } });
  });

  it('PDF: no hidden word, and the note', async () => {
    if (!t.config.chromiumPath) return skipPdf();
    const pdf = (await served('pdf')).body as Buffer;
    expect(pdf.subarray(0, 5).toString()).toBe('%PDF-');
    const text = pdfText(pdf);
    if (text === null) return console.warn('SKIPPED: reading the PDF back — no pdftotext (apt install poppler-utils).');
    expect(text).not.toMatch(SECRET);
    expect(text).toContain('1 item redacted');
    expect(text).toContain('off topic');
  }, 60_000);

  it('the charts carry no contribution text', async () => {
    for (const name of ['byGroup', 'byRegion', 'perDay', 'heatMap']) {
      const svg = (
        await t.http().get(`/api/reports/${reportId}/charts/${name}`).buffer(true).parse(binary).expect(200)
      ).body.toString('utf8');
      expect(svg).not.toMatch(SECRET);
    }
  });

  it('the policy decides per reader: the author and the chair read the words; another participant does not', async () => {
    const mine = (await t.http().get(`/api/reports/${reportId}`).set(alice.auth).expect(200)).body;
    expect(mine.redactions.count).toBe(0);
    expect(JSON.stringify(mine.data)).toContain('ponies');
    const chairs = (await t.http().get(`/api/reports/${reportId}`).set(chair.auth).expect(200)).body;
    expect(chairs.redactions).toEqual({ count: 0, byReason: {}, note: null });
    expect(chairs.contentHash).toMatch(/^[0-9a-f]{64}$/);
    const bobs = (await t.http().get(`/api/reports/${reportId}`).set(bob.auth).expect(200)).body;
    expect(bobs.redactions.count).toBe(1);
    expect(JSON.stringify(bobs)).not.toMatch(SECRET);
    // The list shows each hash as the reader's served report would.
    const publicList = (await t.http().get(`/api/consultations/${c.consultationId}/reports`).expect(200)).body;
    expect(publicList.find((x: { id: string }) => x.id === reportId).contentHash).toBeNull();
    const chairList = (await t.http().get(`/api/consultations/${c.consultationId}/reports`).set(chair.auth).expect(200))
      .body;
    expect(chairList.find((x: { id: string }) => x.id === reportId).contentHash).toBe(chairs.contentHash);
  });
});

describe('the original snapshot (?original=true)', () => {
  it('a chair (and a moderator) gets it exactly as stored, and its hash verifies', async () => {
    for (const who of [chair, moderator]) {
      const r = (await t.http().get(`/api/reports/${reportId}?original=true`).set(who.auth).expect(200)).body;
      expect(r.original).toBe(true);
      expect(r.redactions).toBeUndefined();
      expect(JSON.stringify(r.data)).toContain('ponies');
      expect(r.contentHash).toMatch(/^[0-9a-f]{64}$/);
      expect(reportHash(r.inputs, r.data)).toBe(r.contentHash);
    }
    // And it is the stored text itself.
    const [stored] = (await adminQuery(
      t.databaseUrl,
      `SELECT data::text AS data, content_hash FROM reports WHERE id = $1`,
      [reportId],
    )) as { data: string; content_hash: string }[];
    const r = (await t.http().get(`/api/reports/${reportId}?original=true`).set(chair.auth).expect(200)).body;
    expect(JSON.stringify(r.data)).toBe(stored.data);
    expect(r.contentHash).toBe(stored.content_hash);
  });

  it('the public and participants cannot get it; a bad flag is a 400', async () => {
    const anon = await t.http().get(`/api/reports/${reportId}?original=true`);
    expect(anon.status).toBe(401);
    expect(JSON.stringify(anon.body)).not.toMatch(SECRET);
    for (const who of [bob, alice]) {
      const res = await t.http().get(`/api/reports/${reportId}?original=true`).set(who.auth);
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('REPORT_ORIGINAL_FORBIDDEN');
    }
    await t.http().get(`/api/reports/${reportId}?original=yes`).set(chair.auth).expect(400);
    const plain = (await t.http().get(`/api/reports/${reportId}?original=false`).expect(200)).body;
    expect(plain.redactions.count).toBe(1);
  });
});

describe('reports stored before issue 14', () => {
  it('are traced by tracking number and served under the same policy', async () => {
    const r = (await t.http().get(`/api/reports/${reportId}?original=true`).set(chair.auth).expect(200)).body;
    // The old format: amendments and cluster representatives without contribution ids.
    const data = {
      ...r.data,
      paragraphs: r.data.paragraphs.map((p: { amendments: { contributionId?: string }[] }) => ({
        ...p,
        amendments: p.amendments.map(({ contributionId: _, ...a }) => a),
      })),
    };
    const [old] = (await adminQuery(
      t.databaseUrl,
      `INSERT INTO reports (consultation_id, round_id, inputs, data, content_hash, created_by) VALUES ($1, NULL, $2::json, $3::json, $4, $5) RETURNING id`,
      [c.consultationId, JSON.stringify(r.inputs), JSON.stringify(data), reportHash(r.inputs, data), chair.id],
    )) as { id: string }[];
    const pub = (await t.http().get(`/api/reports/${old.id}`).expect(200)).body;
    expect(JSON.stringify(pub)).not.toMatch(SECRET);
    expect(pub.redactions).toMatchObject({ count: 1, byReason: { off_topic: 1 } });
    expect(pub.data.paragraphs.find((p: { label: string }) => p.label === '1').amendments[0].comment).toBe(NOTICE);
  });
});

describe('CSV cells a spreadsheet would run as formulas', () => {
  it('come out prefixed with a quote, the rest intact, in the report CSV', async () => {
    const rows = parse((await served('csv')).body.toString('utf8'), {
      bom: true,
      columns: true,
      from_line: 2,
    }) as Record<string, string>[];
    const comments = rows.map((x) => x.Comment);
    for (const f of FORMULAS) expect(comments).toContain(`'${f}`);
    expect(rows.map((x) => x['Proposed change'])).toContain("'+1 Financing mechanisms.");
  });

  it('come out prefixed in the open-data CSV; the JSON Lines keep the text as written', async () => {
    const url = `/api/consultations/${c.consultationId}/contributions/export`;
    const rows = parse((await t.http().get(`${url}?format=csv`).expect(200)).text, {
      bom: true,
      columns: true,
    }) as Record<string, string>[];
    for (const f of FORMULAS) expect(rows.map((x) => x.body)).toContain(`'${f}`);
    expect(rows.map((x) => x.proposedText)).toContain("'-1 Financing mechanisms.");
    const lines = (await t.http().get(`${url}?format=jsonl`).expect(200)).text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    for (const f of FORMULAS) expect(lines.map((l) => l.body)).toContain(f);
  });
});

describe('open data under the visibility policy', () => {
  it('a hidden contribution is a trace: no words, no content hash, the reason; the same file whoever asks', async () => {
    const url = `/api/consultations/${c.consultationId}/contributions/export`;
    for (const who of [undefined, chair]) {
      const req = t.http().get(`${url}?format=jsonl`);
      const text = (await (who ? req.set(who.auth) : req).expect(200)).text;
      expect(text).not.toMatch(SECRET);
      const lines = text
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      expect(lines).toHaveLength(6); // 5 published, 1 hidden as a trace
      expect(lines.find((l) => l.status === 'hidden')).toMatchObject({
        kind: 'amendment',
        paragraph: '1',
        body: null,
        proposedText: null,
        onBehalfOf: null,
        contentHash: null,
        withheldReason: 'off_topic',
      });
      expect(
        lines
          .filter((l) => l.status === 'published')
          .every((l) => l.withheldReason === null && /^[0-9a-f]{64}$/.test(l.contentHash)),
      ).toBe(true);
    }
    const csv = (await t.http().get(`${url}?format=csv`).expect(200)).text;
    expect(csv).not.toMatch(SECRET);
  });
});

describe('clusters in a report', () => {
  it('count only the members the public reads', async () => {
    const letter =
      'We call on every delegation to protect community networks and affordable spectrum in all regions of the world now.';
    const signers = await Promise.all(Array.from({ length: 3 }, () => participant(t)));
    const ids: string[] = [];
    for (const s of signers) ids.push((await post(s, '2', { kind: 'comment', body: letter })).body.id);
    await t.http().post(`/api/consultations/${c.consultationId}/clusters/recompute`).set(chair.auth).expect(200);
    await t
      .http()
      .post(`/api/contributions/${ids[2]}/decisions`)
      .set(moderator.auth)
      .send({ action: 'hide', reason: 'spam' })
      .expect(200);
    const made = (
      await t.http().post(`/api/consultations/${c.consultationId}/reports`).set(chair.auth).send({}).expect(201)
    ).body;
    const r = (await t.http().get(`/api/reports/${made.id}`).set(chair.auth).expect(200)).body;
    // The campaign's third letter is hidden: two counted, and one of those two represents it.
    const campaign = r.data.clusters.find((k: { representativeId: string }) => ids.includes(k.representativeId));
    expect(campaign).toMatchObject({ count: 2 });
    expect(ids.slice(0, 2)).toContain(campaign.representativeId);
  });
});

describe('printing a PDF reaches nothing on the network', () => {
  let server: Server;
  let base: string;
  const seen: string[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      seen.push(req.url ?? '');
      res.writeHead(200, { 'content-type': 'image/png' }).end();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  it('HTML referencing a server (image, stylesheet, CSS import and background, frame, script) prints, and the server sees no request', async () => {
    if (!t.config.chromiumPath) return skipPdf();
    const printer = new PdfPrinter(t.config);
    try {
      const html = `<!doctype html><html><head><link rel="stylesheet" href="${base}/style.css">
<style>@import url("${base}/import.css"); body { background: url("${base}/bg.png"); } @font-face { font-family: x; src: url("${base}/font.woff"); } p { font-family: x; }</style></head>
<body><p>Report</p><img src="${base}/x.png"><iframe src="${base}/frame"></iframe><object data="${base}/object"></object>
<img src="data:image/gif;base64,R0lGODlhAQABAAAAACw="><script>fetch("${base}/script")</script></body></html>`;
      const pdf = await printer.print(html);
      expect(pdf.subarray(0, 5).toString()).toBe('%PDF-'); // the positive marker: printing finished
      expect(seen).toEqual([]);
    } finally {
      await printer.onModuleDestroy();
    }
    // The server was listening all along: a request of our own reaches it.
    await fetch(`${base}/control`);
    expect(seen).toEqual(['/control']);
    seen.length = 0;
  }, 60_000);

  it('a report whose title and a contribution name the server prints without the server seeing a request', async () => {
    if (!t.config.chromiumPath) return skipPdf();
    const d = await openConsultation(t, chair, { code: 'PDFNET' });
    await t
      .http()
      .patch(`/api/consultations/${d.consultationId}`)
      .set(chair.auth)
      .send({ title: `<img src="${base}/title.png"> ${base}/x.png` })
      .expect(200);
    await t
      .http()
      .post(`/api/paragraphs/${d.paragraphs['1']}/contributions`)
      .set(bob.auth)
      .send({ kind: 'amendment', body: `<img src="${base}/x.png">`, proposedText: `![x](${base}/x.png)` })
      .expect(201);
    const made = (
      await t.http().post(`/api/consultations/${d.consultationId}/reports`).set(chair.auth).send({}).expect(201)
    ).body;
    const res = await t.http().get(`/api/reports/${made.id}/export?format=pdf`).buffer(true).parse(binary).expect(200);
    expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect(seen).toEqual([]);
  }, 60_000);
});

function skipPdf(): void {
  if (process.env.PLENARY_REQUIRE_ALL) throw new Error('Chromium is required here (CI) but none was found.');
  console.warn("SKIPPED: PDF printing — no Chromium at /usr/bin/chromium (install Debian's chromium package).");
}

function pdfText(pdf: Buffer): string | null {
  try {
    return execFileSync('pdftotext', ['-', '-'], { input: pdf }).toString('utf8').replace(/\s+/g, ' ');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
