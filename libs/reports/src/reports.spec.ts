import { parse } from 'csv-parse/sync';
import { adminQuery } from '@plenary/database/testing';
import { reportHash } from './reports.service';
import { PdfPrinter } from './pdf';
import { toDocx } from './docx';
import { toHtml, toMarkdown } from './render';
import { LiveClient } from '@plenary/realtime/client';
import {
  Actor,
  admin,
  binary,
  openConsultation,
  OpenConsultation,
  participant,
  startTestApp,
  TestApp,
  withRoles,
} from '../../../test/support';

let t: TestApp;
let chair: Actor;
let alice: Actor;
let bob: Actor;
let carol: Actor;
let dave: Actor;
let c: OpenConsultation;
let first: { id: string; contentHash: string; inputs: Record<string, unknown>; data: Record<string, any> };

const post = (who: Actor, label: string, body: Record<string, unknown>) =>
  t.http().post(`/api/paragraphs/${c.paragraphs[label]}/contributions`).set(who.auth).send(body).expect(201);

/**
 * The fixture, counted by hand: alice (civil society, KE) comments on 1 and amends 3; bob (government, BR)
 * comments on 1 and on 2, then withdraws the second; carol (private sector, JP) amends 1, endorsed by alice and
 * bob; dave (civil society, DE, verified) replies on 1. Published: 5 contributions from 4 contributors.
 */
beforeAll(async () => {
  t = await startTestApp({ SUBMISSION_RATE_LIMIT: '100000' });
  chair = await withRoles(t, ['chair']);
  alice = await participant(t, { stakeholderGroup: 'civil_society', country: 'KE', organisation: 'KICTANet' });
  bob = await participant(t, { stakeholderGroup: 'government', country: 'BR', capacity: 'personal' });
  carol = await participant(t, {
    stakeholderGroup: 'private_sector',
    country: 'JP',
    organisation: 'Keidanren <Tokyo>',
  });
  dave = await participant(t, { stakeholderGroup: 'civil_society', country: 'DE' });
  const a = await admin(t);
  await t.http().patch(`/api/users/${dave.id}`).set(a.auth).send({ verified: true }).expect(200);
  c = await openConsultation(t, chair, { code: 'RPT' });
  const aliceOn1 = await post(alice, '1', { kind: 'comment', body: 'Access is a right.' });
  await post(alice, '3', {
    kind: 'amendment',
    body: 'Say who pays.',
    proposedText: 'Financing mechanisms, publicly funded.',
  });
  await post(bob, '1', { kind: 'comment', body: 'Agree.' });
  const gone = await post(bob, '2', { kind: 'comment', body: 'Second thoughts.' });
  await t.http().post(`/api/contributions/${gone.body.id}/withdraw`).set(bob.auth).expect(200);
  const carolOn1 = await post(carol, '1', {
    kind: 'amendment',
    body: 'Add <script>alert(1)</script> nothing.',
    proposedText: 'Access to information is a **universal** right.',
  });
  await t.http().post(`/api/contributions/${carolOn1.body.id}/endorsements`).set(alice.auth).expect(201);
  await t.http().post(`/api/contributions/${carolOn1.body.id}/endorsements`).set(bob.auth).expect(201);
  await post(dave, '1', { kind: 'reply', parentId: aliceOn1.body.id, body: 'Yes.' });
  await t
    .http()
    .put(`/api/contributions/${carolOn1.body.id}/disposition`)
    .set(chair.auth)
    .send({ disposition: 'accepted', response: 'Taken up.' })
    .expect(200);
  const created = (
    await t.http().post(`/api/consultations/${c.consultationId}/reports`).set(chair.auth).send({}).expect(201)
  ).body;
  expect(created.summary).toEqual({ contributions: 5, contributors: 4 });
  first = (await t.http().get(`/api/reports/${created.id}`).expect(200)).body;
});
afterAll(() => t.close());

describe('report snapshots', () => {
  it('counts participation exactly as the fixture', () => {
    const p = first.data.participation;
    expect(p).toMatchObject({ contributions: 5, contributors: 4, verifiedFocalPoints: 1 });
    expect(p.byGroup).toEqual([
      { key: 'civil_society', contributors: 2, contributions: 3 },
      { key: 'government', contributors: 1, contributions: 1 },
      { key: 'private_sector', contributors: 1, contributions: 1 },
    ]);
    expect(p.byRegion).toEqual([
      { key: 'african', contributors: 1, contributions: 2 },
      { key: 'asia_pacific', contributors: 1, contributions: 1 },
      { key: 'latin_american_caribbean', contributors: 1, contributions: 1 },
      { key: 'western_european_others', contributors: 1, contributions: 1 },
    ]);
    expect(p.byCountry.map((x: { key: string }) => x.key).sort()).toEqual(['BR', 'DE', 'JP', 'KE']);
    expect(p.perDay).toHaveLength(1);
    expect(p.perDay[0].contributions).toBe(5);
  });

  it('ranks paragraphs and details each: kinds, amendments with diffs, endorsements by group, dispositions', () => {
    expect(first.data.mostDiscussed).toEqual([
      { label: '1', published: 4, amendments: 1 },
      { label: '3', published: 1, amendments: 1 },
    ]);
    const p1 = first.data.paragraphs.find((x: { label: string }) => x.label === '1');
    expect(p1).toMatchObject({
      published: 4,
      byKind: { comment: 2, amendment: 1, reply: 1 },
      endorsements: 2,
      endorsementsByGroup: { civil_society: 1, government: 1 },
      dispositions: { accepted: 1 },
    });
    expect(
      p1.amendments[0].diff.some(
        (o: { op: string; text: string }) => o.op === 'insert' && o.text.includes('universal'),
      ),
    ).toBe(true);
    expect(first.data.paragraphs.find((x: { label: string }) => x.label === '2').published).toBe(0);
    expect(first.data.matrix).toHaveLength(5);
    expect(first.contentHash).toMatch(/^[0-9a-f]{64}$/);
    // Anyone can check the hash against what the API returns.
    expect(reportHash(first.inputs, first.data)).toBe(first.contentHash);
  });

  it('is immutable: a later report differs, the first stays as it was, and the database refuses changes', async () => {
    await post(bob, '2', { kind: 'comment', body: 'After the first report.' });
    const made = (
      await t
        .http()
        .post(`/api/consultations/${c.consultationId}/reports`)
        .set(chair.auth)
        .send({ roundId: c.roundId })
        .expect(201)
    ).body;
    const second = (await t.http().get(`/api/reports/${made.id}`).expect(200)).body;
    expect(second.data.participation.contributions).toBe(6);
    expect(second.contentHash).not.toBe(first.contentHash);
    expect(second.inputs).toMatchObject({ roundId: c.roundId, round: 'R1', version: 1 });
    const again = (await t.http().get(`/api/reports/${first.id}`).expect(200)).body;
    expect(again.contentHash).toBe(first.contentHash);
    expect(again.data.participation.contributions).toBe(5);
    const list = (await t.http().get(`/api/consultations/${c.consultationId}/reports`).expect(200)).body;
    expect(list.map((r: { id: string }) => r.id)).toEqual([second.id, first.id]);
    await expect(
      adminQuery(t.databaseUrl, `UPDATE reports SET content_hash = repeat('0', 64) WHERE id = $1`, [first.id]),
    ).rejects.toThrow(/append-only/);
  });

  it('tells the chair how far generation has got, through the live channel', async () => {
    const url = await t.listen();
    const live = new LiveClient({ url, token: () => chair.token });
    try {
      await live.connected();
      const seen: { percent: number; step: string; id?: string }[] = [];
      live.onProgress((p) => seen.push(p));
      const made = (
        await t.http().post(`/api/consultations/${c.consultationId}/reports`).set(chair.auth).send({}).expect(201)
      ).body;
      const end = Date.now() + 5000;
      while (!seen.some((p) => p.percent === 100) && Date.now() < end) await new Promise((r) => setTimeout(r, 20));
      expect(seen.map((p) => p.percent)).toEqual([5, 15, 60, 80, 100]);
      expect(seen[seen.length - 1]).toMatchObject({ step: 'done', id: made.id });
    } finally {
      live.close();
    }
  });

  it('only chairs generate; participants and moderators are refused', async () => {
    await t.http().post(`/api/consultations/${c.consultationId}/reports`).set(alice.auth).send({}).expect(403);
    await t.http().post(`/api/consultations/${c.consultationId}/reports`).send({}).expect(401);
    const mod = await participant(t);
    await t
      .http()
      .post(`/api/consultations/${c.consultationId}/members`)
      .set(chair.auth)
      .send({ userId: mod.id, role: 'moderator' })
      .expect(201);
    await t.http().post(`/api/consultations/${c.consultationId}/reports`).set(mod.auth).send({}).expect(403);
    const bad = await t
      .http()
      .post(`/api/consultations/${c.consultationId}/reports`)
      .set(chair.auth)
      .send({ roundId: '00000000-0000-4000-8000-000000000000' });
    expect(bad.status).toBe(404);
  });
});

describe('a report at scale says what it leaves out', () => {
  it('names the amendments and matrix rows beyond the caps, in Markdown, HTML and Word alike', async () => {
    const r = (await t.http().get(`/api/reports/${first.id}`).expect(200)).body;
    expect(r.data.matrixTotal).toBe(r.data.matrix.length); // under the caps nothing is left out…
    expect(toMarkdown(r)).not.toMatch(/the open-data export has them all|The first \d+ of/);
    const para = r.data.paragraphs.find((x: { amendments: unknown[] }) => x.amendments.length > 0);
    para.byKind.amendment = para.amendments.length + 40; // …as if there were more than a report holds
    r.data.matrixTotal = r.data.matrix.length + 1_000_000;
    const note = `The ${para.amendments.length} most endorsed of ${para.amendments.length + 40} amendments are shown`;
    const rows = `The first ${r.data.matrix.length} of ${r.data.matrix.length + 1_000_000} rows`;
    for (const text of [toMarkdown(r), toHtml(r)]) {
      expect(text).toContain(note);
      expect(text).toContain(rows);
    }
    const JSZip = require('jszip');
    const xml: string = await (await JSZip.loadAsync(await toDocx(r))).file('word/document.xml').async('string');
    expect(xml).toContain(rows);
  });
});

describe('exports', () => {
  const get = (format: string) => t.http().get(`/api/reports/${first.id}/export?format=${format}`);

  it('Markdown and self-contained HTML with the SVG charts, user text escaped', async () => {
    const md = await get('md').expect(200);
    expect(md.headers['content-type']).toMatch(/text\/markdown/);
    expect(md.text).toContain('# Interim report');
    expect(md.text).toContain('| civil society | 2 | 3 |');
    expect(md.text).toContain('### Paragraph 1');
    const html = await get('html').expect(200);
    expect(html.headers['content-type']).toMatch(/text\/html/);
    expect((html.text.match(/<svg /g) ?? []).length).toBe(4);
    expect(html.text).not.toContain('<script>alert(1)</script>');
    expect(html.text).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html.text).toContain('Keidanren &lt;Tokyo&gt;');
    expect(html.text).not.toMatch(/<link |src="http/);
  });

  it('each chart on its own as SVG, for the web app; unknown charts refused', async () => {
    for (const name of ['byGroup', 'byRegion', 'perDay', 'heatMap']) {
      const res = await t.http().get(`/api/reports/${first.id}/charts/${name}`).buffer(true).parse(binary).expect(200);
      expect(res.headers['content-type']).toMatch(/image\/svg\+xml/);
      expect(res.body.toString('utf8')).toMatch(/^<svg [^>]*>/);
    }
    const byGroup = (
      await t.http().get(`/api/reports/${first.id}/charts/byGroup`).buffer(true).parse(binary)
    ).body.toString('utf8');
    expect(byGroup).toContain('civil society');
    expect(byGroup).not.toContain('<script');
    await t.http().get(`/api/reports/${first.id}/charts/nope`).expect(400);
  });

  it('CSV (the matrix) and JSON (the whole snapshot) parse back', async () => {
    const csv = await get('csv').expect(200);
    const rows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(5);
    expect(rows.find((r) => r.Type === 'amendment' && r.Disposition === 'accepted')).toMatchObject({
      Country: 'JP',
      Paragraph: '1',
    });
    const json = JSON.parse((await get('json').expect(200)).text);
    expect(json).toMatchObject({ id: first.id, contentHash: first.contentHash });
    expect(json.data.participation.contributions).toBe(5);
  });

  it('Word: headings, tables and the charts as images', async () => {
    const JSZip = require('jszip');
    const res = await get('docx').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toMatch(/wordprocessingml/);
    const zip = await JSZip.loadAsync(res.body);
    const xml: string = await zip.file('word/document.xml').async('string');
    expect(xml).toContain('Interim report');
    expect(xml).toContain('w:pStyle w:val="Heading1"');
    expect(xml).toContain('<w:tbl>');
    expect(xml).toContain('civil society');
    const media = Object.keys(zip.files).filter((f) => f.startsWith('word/media/'));
    expect(media.filter((f) => f.endsWith('.svg'))).toHaveLength(4);
    expect(await zip.file(media.find((f) => f.endsWith('.svg'))).async('string')).toMatch(/^<svg /);
  });

  it('PDF printed by headless Chromium, or a plain answer saying how to enable it; unknown formats refused', async () => {
    expect((await get('pptx')).status).toBe(400);
    if (!t.config.chromiumPath) {
      if (process.env.PLENARY_REQUIRE_ALL) throw new Error('Chromium is required here (CI) but none was found.');
      console.warn(
        "SKIPPED: PDF printing — no Chromium at /usr/bin/chromium (install Debian's chromium package); checking the refusal instead.",
      );
      const res = await get('pdf');
      expect(res.status).toBe(501);
      expect(res.body.error.message).toMatch(/apt install chromium/);
      return;
    }
    const res = await get('pdf').buffer(true).parse(binary).expect(200);
    expect(res.headers['content-type']).toBe('application/pdf');
    expect((res.body as Buffer).subarray(0, 5).toString()).toBe('%PDF-');
    expect((res.body as Buffer).length).toBeGreaterThan(5000);
  });

  it('without Chromium, PDF is refused with a message saying how to enable it', async () => {
    const printer = new PdfPrinter({ ...t.config, chromiumPath: undefined });
    await expect(printer.print('<p>x</p>')).rejects.toMatchObject({
      code: 'PDF_UNAVAILABLE',
      status: 501,
      message: expect.stringMatching(/apt install chromium/),
    });
  });
});

describe('open data', () => {
  it('streams every published contribution as CSV and as JSON Lines', async () => {
    const jsonl = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/contributions/export?format=jsonl`)
      .expect(200);
    const lines = jsonl.text
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l));
    expect(lines).toHaveLength(6);
    expect(lines[0]).toMatchObject({
      trackingNumber: expect.stringMatching(/^RPT-R1-/),
      group: 'civil_society',
      country: 'KE',
      paragraph: '1',
    });
    expect(lines.map((l) => l.body)).not.toContain('Second thoughts.');
    const csv = await t
      .http()
      .get(`/api/consultations/${c.consultationId}/contributions/export?format=csv`)
      .expect(200);
    expect(csv.headers['content-type']).toMatch(/text\/csv/);
    const rows = parse(csv.text, { bom: true, columns: true }) as Record<string, string>[];
    expect(rows).toHaveLength(6);
    expect(rows.find((r) => r.disposition === 'accepted')).toMatchObject({ kind: 'amendment', country: 'JP' });
    expect((await t.http().get(`/api/consultations/${c.consultationId}/contributions/export?format=xml`)).status).toBe(
      400,
    );
  });
});

describe('the revised draft with tracked changes', () => {
  it('is a Word file whose insertions and deletions are real revisions, citing the accepted contributions', async () => {
    const JSZip = require('jszip');
    const v2 = await t
      .http()
      .post(`/api/documents/${c.documentId}/versions`)
      .set(chair.auth)
      .send({
        edits: [
          { paragraphId: c.paragraphs['1'], text: 'Access to information is a **universal** right.' },
          { paragraphId: c.paragraphs['2'], delete: true },
        ],
      })
      .expect(201);
    expect(v2.body.document.version).toBe(2);
    const res = await t
      .http()
      .get(`/api/documents/${c.documentId}/diff?from=1&to=2&format=docx`)
      .buffer(true)
      .parse(binary)
      .expect(200);
    expect(res.headers['content-type']).toMatch(/wordprocessingml/);
    const zip = await JSZip.loadAsync(res.body);
    const xml: string = await zip.file('word/document.xml').async('string');
    expect(xml).toMatch(/<w:ins [^>]*w:author="Secretariat"/);
    expect(xml).toMatch(/<w:del /);
    expect(xml).toContain('universal');
    expect(xml).toMatch(/<w:delText[^>]*>[^<]*Capacity building matters/);
    expect(xml).toMatch(/Following contributions RPT-R1-\d{6}/);
    const settings: string = await zip.file('word/settings.xml').async('string');
    expect(settings).toContain('w:trackRevisions');
    expect((await t.http().get(`/api/documents/${c.documentId}/diff?from=1&to=2&format=pdf`)).status).toBe(400);
  });
});
