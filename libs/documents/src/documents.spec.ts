import { Document, Packer, Paragraph, TextRun, HeadingLevel, FootnoteReferenceRun } from 'docx';
import { adminQuery } from '@plenary/database/testing';
import { Actor, participant, startTestApp, TestApp, withRoles } from '../../../test/support';
import { fixture } from '../../../test/support/fixtures';

const C11 = fixture('context', 'wsis-c11-draft-vision.txt');
const GA = fixture('drafts', 'ga-resolution.md');

let t: TestApp;
let chair: Actor;
let other: Actor;
let consultationId: string;

beforeAll(async () => {
  t = await startTestApp();
  chair = await withRoles(t, ['chair']);
  other = await participant(t);
  const c = await t
    .http()
    .post('/api/consultations')
    .set(chair.auth)
    .send({ title: 'WSIS+10 Vision C11', code: 'C11', moderationPolicy: 'pre' })
    .expect(201);
  consultationId = c.body.id;
  await t.http().patch(`/api/consultations/${consultationId}`).set(chair.auth).send({ status: 'open' }).expect(200);
});
afterAll(() => t.close());

const importDraft = (body: Record<string, unknown>, who: Actor = chair, id = consultationId) =>
  t.http().post(`/api/consultations/${id}/documents`).set(who.auth).send(body);

describe('consultations', () => {
  it('a chair creates one, becomes its chair; drafts are hidden from the public until opened', async () => {
    const c = await t
      .http()
      .post('/api/consultations')
      .set(chair.auth)
      .send({ title: 'CSTD WGEC', moderationPolicy: 'post' })
      .expect(201);
    expect(c.body).toMatchObject({
      status: 'draft',
      moderationPolicy: 'post',
      code: 'CW',
      myRoles: ['chair'],
      nextStatuses: ['open', 'archived'],
    });
    await t.http().get(`/api/consultations/${c.body.id}`).expect(404);
    expect((await t.http().get('/api/consultations')).body.map((x: { id: string }) => x.id)).not.toContain(c.body.id);
    await t.http().patch(`/api/consultations/${c.body.id}`).set(chair.auth).send({ status: 'open' }).expect(200);
    const pub = await t.http().get(`/api/consultations/${c.body.id}`).expect(200);
    expect(pub.body.status).toBe('open');
    // Clients offer what the server's rule allows next, rather than keep a copy of the rule.
    expect(pub.body.nextStatuses).toEqual(['closed']);
    expect(pub.body).not.toHaveProperty('myRoles');
    const bad = await t.http().patch(`/api/consultations/${c.body.id}`).set(chair.auth).send({ status: 'draft' });
    expect(bad.status).toBe(409);
  });

  it("lists a consultation's documents to its readers; a draft consultation's only to its members", async () => {
    const c = await t
      .http()
      .post('/api/consultations')
      .set(chair.auth)
      .send({ title: 'Listed', moderationPolicy: 'post' })
      .expect(201);
    const doc = await importDraft({ format: 'text', content: 'Listed draft\n\n1. One.' }, chair, c.body.id).expect(201);
    await t.http().get(`/api/consultations/${c.body.id}/documents`).expect(404);
    await t.http().get(`/api/consultations/${c.body.id}/documents`).set(other.auth).expect(404);
    const mine = await t.http().get(`/api/consultations/${c.body.id}/documents`).set(chair.auth).expect(200);
    expect(mine.body).toEqual([
      {
        id: doc.body.document.id,
        title: 'Listed draft',
        currentVersion: 1,
        versionName: 'zero draft',
        createdAt: expect.any(String),
      },
    ]);
    await t.http().patch(`/api/consultations/${c.body.id}`).set(chair.auth).send({ status: 'open' }).expect(200);
    expect((await t.http().get(`/api/consultations/${c.body.id}/documents`).expect(200)).body).toHaveLength(1);
  });

  it('refuses participants, bad policies and duplicate codes', async () => {
    await t.http().post('/api/consultations').set(other.auth).send({ title: 'X', moderationPolicy: 'pre' }).expect(403);
    await t.http().post('/api/consultations').send({ title: 'X', moderationPolicy: 'pre' }).expect(401);
    const bad = await t
      .http()
      .post('/api/consultations')
      .set(chair.auth)
      .send({ title: 'X', moderationPolicy: 'sometimes' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/moderationPolicy must be pre or post/);
    const dup = await t
      .http()
      .post('/api/consultations')
      .set(chair.auth)
      .send({ title: 'Y', code: 'c11', moderationPolicy: 'pre' });
    expect(dup.status).toBe(409);
    await t.http().patch(`/api/consultations/${consultationId}`).set(other.auth).send({ title: 'Hijack' }).expect(403);
  });

  it('chairs add members by the email they sign in with', async () => {
    const mod = await participant(t);
    const consultationId = (
      await t
        .http()
        .post('/api/consultations')
        .set(chair.auth)
        .send({ title: 'Members by email', moderationPolicy: 'post' })
        .expect(201)
    ).body.id;
    const res = await t
      .http()
      .post(`/api/consultations/${consultationId}/members`)
      .set(chair.auth)
      .send({ email: `  ${mod.email.toUpperCase()} `, role: 'moderator' })
      .expect(201);
    expect(
      res.body.filter((m: { userId: string }) => m.userId === mod.id).map((m: { role: string }) => m.role),
    ).toEqual(['moderator']);
    const unknown = await t
      .http()
      .post(`/api/consultations/${consultationId}/members`)
      .set(chair.auth)
      .send({ email: 'nobody@example.org', role: 'moderator' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.message).toMatch(/ask them to register first/);
    const neither = await t
      .http()
      .post(`/api/consultations/${consultationId}/members`)
      .set(chair.auth)
      .send({ role: 'moderator' });
    expect(neither.status).toBe(400);
    await t
      .http()
      .post(`/api/consultations/${consultationId}/members`)
      .set(other.auth)
      .send({ email: mod.email, role: 'chair' })
      .expect(404); // a draft is hidden from outsiders
  });

  it('chairs add members; moderators see them; participants cannot', async () => {
    const mod = await participant(t);
    await t
      .http()
      .post(`/api/consultations/${consultationId}/members`)
      .set(other.auth)
      .send({ userId: mod.id, role: 'moderator' })
      .expect(403);
    const res = await t
      .http()
      .post(`/api/consultations/${consultationId}/members`)
      .set(chair.auth)
      .send({ userId: mod.id, role: 'moderator' })
      .expect(201);
    expect(res.body.map((m: { role: string }) => m.role).sort()).toEqual(['chair', 'moderator']);
    await t.http().get(`/api/consultations/${consultationId}/members`).set(mod.auth).expect(200);
    await t.http().get(`/api/consultations/${consultationId}/members`).set(other.auth).expect(403);
    const roles = (await t.http().get(`/api/consultations/${consultationId}`).set(mod.auth)).body.myRoles;
    expect(roles).toEqual(['moderator']);
    // A moderator is not a chair: cannot import.
    const imp = await importDraft({ format: 'text', content: '1. Text.' }, mod);
    expect(imp.status).toBe(403);
    expect(imp.body.error.code).toBe('NOT_CHAIR');
  });
});

describe('import and read', () => {
  it('imports the C11 draft: one section, paragraphs 1 to 30, the disclaimer once as a note', async () => {
    const res = await importDraft({ format: 'text', content: C11 }).expect(201);
    expect(res.body.importReport).toMatchObject({
      sections: 1,
      numberedParagraphs: 30,
      preambleParagraphs: 3,
      notes: 1,
      warnings: [],
    });
    const doc = (await t.http().get(`/api/documents/${res.body.document.id}`).set(chair.auth).expect(200)).body;
    expect(doc).toMatchObject({
      title: 'Draft WSIS+10 Vision for WSIS Beyond 2015',
      version: 1,
      versionName: 'zero draft',
    });
    expect(doc.sections).toHaveLength(1);
    const labels = doc.sections[0].paragraphs.map((p: { label: string }) => p.label);
    expect(labels).toEqual(['PP1', 'PP2', 'PP3', ...Array.from({ length: 30 }, (_, i) => String(i + 1))]);
    expect(doc.sections[0].paragraphs[15].text).toContain('**Official Development**Assistance.');
    expect(doc.notes).toHaveLength(1);
  });

  it('imports a resolution-style Markdown draft with the right counts', async () => {
    const res = await importDraft({ format: 'markdown', content: GA }).expect(201);
    expect(res.body.importReport).toEqual({
      sections: 3,
      numberedParagraphs: 6,
      preambleParagraphs: 3,
      subItems: 3,
      footnotes: 3,
      notes: 0,
      warnings: ['Numbering gap: paragraph 7 follows 5.'],
    });
    expect(res.body.document.frontMatter).toEqual([
      'United Nations',
      'General Assembly',
      'Seventieth session',
      'Agenda item 16',
    ]);
  });

  it('imports a Word draft with automatic numbering, bold and footnotes', async () => {
    const numbering = {
      config: [
        {
          reference: 'paras',
          levels: [
            { level: 0, format: 'decimal' as const, text: '%1.' },
            { level: 1, format: 'lowerLetter' as const, text: '(%2)' },
          ],
        },
      ],
    };
    const item = (text: (TextRun | FootnoteReferenceRun)[], level = 0) =>
      new Paragraph({ children: text, numbering: { reference: 'paras', level } });
    const docx = new Document({
      numbering,
      footnotes: { 1: { children: [new Paragraph('A/RES/70/125, para. 3.')] } },
      sections: [
        {
          children: [
            new Paragraph({ text: 'Draft outcome', heading: HeadingLevel.HEADING_1 }),
            new Paragraph({ text: 'Digital cooperation', heading: HeadingLevel.HEADING_2 }),
            item([
              new TextRun('Promote '),
              new TextRun({ text: 'meaningful connectivity', bold: true }),
              new TextRun(' for all.'),
            ]),
            item([new TextRun('Strengthen cooperation'), new FootnoteReferenceRun(1), new TextRun(':')]),
            item([new TextRun('among governments;')], 1),
            item([new TextRun('with all stakeholders.')], 1),
            item([new TextRun('Review progress in 2030.')]),
          ],
        },
      ],
    });
    const b64 = (await Packer.toBuffer(docx)).toString('base64');
    const res = await importDraft({ format: 'docx', content: b64 });
    expect(res.status).toBe(201);
    const paragraphs = res.body.document.sections.flatMap((s: { paragraphs: unknown[] }) => s.paragraphs);
    expect(res.body.document.title).toBe('Draft outcome');
    expect(res.body.document.sections.map((s: { heading: string }) => s.heading)).toEqual(['Digital cooperation']);
    expect(paragraphs.map((p: { label: string }) => p.label)).toEqual(['1', '2', '2 (a)', '2 (b)', '3']);
    expect(paragraphs[0].text).toBe('Promote **meaningful connectivity** for all.');
    expect(paragraphs[1].footnotes).toEqual([{ marker: '1', text: 'A/RES/70/125, para. 3.' }]);
  });

  it.each([
    ['empty text', { format: 'text', content: '   \n\n ' }, 422, 'EMPTY_DRAFT'],
    [
      'binary garbage as docx',
      { format: 'docx', content: Buffer.from('this is not a zip file at all').toString('base64') },
      422,
      'UNREADABLE_DOCX',
    ],
    [
      'a zip that is not a docx',
      { format: 'docx', content: Buffer.from([0x50, 0x4b, 0x03, 0x04, 1, 2, 3, 4, 5, 6]).toString('base64') },
      422,
      'UNREADABLE_DOCX',
    ],
    ['not base64', { format: 'docx', content: '%%%not base64%%%' }, 400, 'VALIDATION_FAILED'],
    ['an unknown format', { format: 'pdf', content: 'x' }, 400, 'VALIDATION_FAILED'],
  ])('refuses %s with a clear 4xx and creates nothing', async (_name, body, status, code) => {
    const before = ((await adminQuery(t.databaseUrl, 'SELECT count(*)::int AS n FROM documents')) as { n: number }[])[0]
      .n;
    const res = await importDraft(body);
    expect(res.status).toBe(status);
    expect(res.body.error.code).toBe(code);
    expect(res.body.error.message.length).toBeGreaterThan(10);
    expect(
      ((await adminQuery(t.databaseUrl, 'SELECT count(*)::int AS n FROM documents')) as { n: number }[])[0].n,
    ).toBe(before);
  });

  it('refuses 5 MB with 413', async () => {
    const res = await importDraft({ format: 'text', content: '1. x '.repeat(1_000_000) });
    expect(res.status).toBe(413);
  });

  it('refuses participants and the public', async () => {
    expect((await importDraft({ format: 'text', content: '1. Text.' }, other)).status).toBe(403);
    expect(
      (await t.http().post(`/api/consultations/${consultationId}/documents`).send({ format: 'text', content: '1. x' }))
        .status,
    ).toBe(401);
  });
});

describe('versions, lineage and diff', () => {
  let documentId: string;
  const v1 = [
    '# Draft',
    '## Principles',
    '1. Promote regional coordination at all levels.',
    '2. Develop a coordinated approach on regional issues.',
    '3. Foster cooperation amongst international organisations.',
    '4. Encourage creation of international projects.',
  ].join('\n\n');
  // rev.1: 2 reworded, a new 3 inserted (old 3 and 4 renumbered), 4 (old 3) unchanged text.
  const v2 = [
    '# Draft',
    '## Principles',
    '1. Promote regional coordination at all levels.',
    '2. Develop a coordinated and inclusive approach on regional issues.',
    '3. Support community networks.',
    '4. Foster cooperation amongst international organisations.',
    '5. Encourage creation of international projects.',
  ].join('\n\n');
  // rev.2: old 1 moved to the end, the community networks paragraph deleted.
  const v3 = [
    '# Draft',
    '## Principles',
    '1. Develop a coordinated and inclusive approach on regional issues.',
    '2. Foster cooperation amongst international organisations.',
    '3. Encourage creation of international projects.',
    '4. Promote regional coordination at all levels.',
  ].join('\n\n');

  beforeAll(async () => {
    documentId = (await importDraft({ format: 'markdown', content: v1 }).expect(201)).body.document.id;
  });

  it('previews the lineage of a revision without publishing it (chairs only)', async () => {
    await t
      .http()
      .post(`/api/documents/${documentId}/versions/preview`)
      .set(other.auth)
      .send({ format: 'markdown', content: v2 })
      .expect(403);
    await t
      .http()
      .post(`/api/documents/${documentId}/versions/preview`)
      .send({ format: 'markdown', content: v2 })
      .expect(401);
    const p = (
      await t
        .http()
        .post(`/api/documents/${documentId}/versions/preview`)
        .set(chair.auth)
        .send({ format: 'markdown', content: v2 })
        .expect(200)
    ).body;
    expect(p.preview).toBe(true);
    expect(
      p.lineage.map(
        (l: { label: string; match: string; previous: { label: string } | null }) =>
          `${l.label}<${l.previous?.label ?? '-'}:${l.match}`,
      ),
    ).toEqual(['1<1:same', '2<2:similar', '3<-:new', '4<3:text', '5<4:text']);
    expect(p.previousParagraphs.every((x: { carried: boolean }) => x.carried)).toBe(true);
    const d = (await t.http().get(`/api/documents/${documentId}`).expect(200)).body;
    expect(d.version).toBe(1);
    expect(d.versions).toHaveLength(1);
  });

  it('follows each paragraph through three versions', async () => {
    const r2 = await t
      .http()
      .post(`/api/documents/${documentId}/versions`)
      .set(chair.auth)
      .send({ format: 'markdown', content: v2, note: 'After R1' })
      .expect(201);
    const r3 = await t
      .http()
      .post(`/api/documents/${documentId}/versions`)
      .set(chair.auth)
      .send({ format: 'markdown', content: v3 })
      .expect(201);
    const d1 = (await t.http().get(`/api/documents/${documentId}/versions/1`).expect(200)).body;
    const d2 = (await t.http().get(`/api/documents/${documentId}/versions/2`).expect(200)).body;
    const d3 = (await t.http().get(`/api/documents/${documentId}`).expect(200)).body;
    expect([d1.versionName, d2.versionName, d3.versionName]).toEqual(['zero draft', 'rev.1', 'rev.2']);
    expect(d3.versions.map((v: { number: number }) => v.number)).toEqual([1, 2, 3]);
    const key = (d: { sections: { paragraphs: { label: string; lineageKey: string }[] }[] }, label: string) =>
      d.sections[0].paragraphs.find((p) => p.label === label)!.lineageKey;
    expect(key(d2, '1')).toBe(key(d1, '1'));
    expect(key(d2, '2')).toBe(key(d1, '2'));
    expect(key(d2, '4')).toBe(key(d1, '3'));
    expect(key(d2, '5')).toBe(key(d1, '4'));
    expect(Object.values(d1.sections[0].paragraphs.map((p: { lineageKey: string }) => p.lineageKey))).not.toContain(
      key(d2, '3'),
    );
    expect(key(d3, '4')).toBe(key(d1, '1'));
    expect(key(d3, '1')).toBe(key(d1, '2'));
    expect(r2.body.lineage.map((l: { match: string }) => l.match)).toEqual(['same', 'similar', 'new', 'text', 'text']);
    expect(r3.body.document.version).toBe(3);
  });

  it('diffs versions paragraph by paragraph with word operations', async () => {
    const d12 = (await t.http().get(`/api/documents/${documentId}/diff`).query({ from: 1, to: 2 }).expect(200)).body;
    expect(
      d12.paragraphs.map((p: { status: string; to: { label: string } | null }) => `${p.to?.label}:${p.status}`),
    ).toEqual(['1:unchanged', '2:changed', '3:new', '4:renumbered', '5:renumbered']);
    const changed = d12.paragraphs[1];
    expect(changed.ops.filter((o: { op: string }) => o.op !== 'equal')).toEqual([
      { op: 'insert', text: 'and inclusive ' },
    ]);
    const d23 = (await t.http().get(`/api/documents/${documentId}/diff`).query({ from: 2, to: 3 }).expect(200)).body;
    expect(d23.summary).toEqual({ unchanged: 0, changed: 0, new: 0, deleted: 1, moved: 1, renumbered: 3 });
    const moved = d23.paragraphs.find((p: { status: string }) => p.status === 'moved');
    expect(moved).toMatchObject({ from: { label: '1' }, to: { label: '4' } });
    const deleted = d23.paragraphs.find((p: { status: string }) => p.status === 'deleted');
    expect(deleted.from.label).toBe('3');
    const bad = await t.http().get(`/api/documents/${documentId}/diff`).query({ from: 'x', to: 2 });
    expect(bad.status).toBe(400);
    await t.http().get(`/api/documents/${documentId}/diff`).query({ from: 1, to: 9 }).expect(404);
  });

  it('publishes from edits, honours lineage corrections, and refuses participants', async () => {
    const cur = (await t.http().get(`/api/documents/${documentId}`)).body;
    const ps = cur.sections[0].paragraphs;
    await t
      .http()
      .post(`/api/documents/${documentId}/versions`)
      .set(other.auth)
      .send({ edits: [{ paragraphId: ps[0].id, text: 'x' }] })
      .expect(403);
    const res = await t
      .http()
      .post(`/api/documents/${documentId}/versions`)
      .set(chair.auth)
      .send({
        edits: [
          { paragraphId: ps[0].id, text: 'Develop a new approach entirely.' },
          { paragraphId: ps[3].id, delete: true },
        ],
        lineage: [{ label: '2', lineageKey: null }],
      })
      .expect(201);
    expect(res.body.document.sections[0].paragraphs.map((p: { label: string }) => p.label)).toEqual(['1', '2', '3']);
    expect(res.body.lineage[0].lineageKey).toBe(ps[0].lineageKey);
    expect(res.body.lineage[1].match).toBe('corrected');
    expect(res.body.lineage[1].lineageKey).not.toBe(ps[1].lineageKey);
  });

  it('keeps published versions immutable in the database', async () => {
    await expect(adminQuery(t.databaseUrl, `UPDATE paragraphs SET text = 'tampered'`)).rejects.toThrow(/append-only/);
    await expect(adminQuery(t.databaseUrl, `DELETE FROM document_versions`)).rejects.toThrow(/append-only/);
  });
});

describe('rounds', () => {
  let documentId: string;
  beforeAll(async () => {
    documentId = (await importDraft({ format: 'text', content: '1. First.\n2. Second.' }).expect(201)).body.document.id;
  });
  afterEach(() => t.clock.set(undefined));

  it('opens and closes with the server clock, at the edges of the window', async () => {
    const now = Date.now();
    const opensAt = new Date(now + 60_000).toISOString();
    const closesAt = new Date(now + 3_600_000).toISOString();
    const r = await t
      .http()
      .post(`/api/consultations/${consultationId}/rounds`)
      .set(chair.auth)
      .send({ documentId, opensAt, closesAt })
      .expect(201);
    expect(r.body).toMatchObject({ state: 'scheduled', version: 1, name: expect.stringMatching(/^R\d+$/) });
    const state = async () =>
      (await t.http().get(`/api/consultations/${consultationId}/rounds`)).body.find(
        (x: { id: string }) => x.id === r.body.id,
      ).state;
    t.clock.set(new Date(new Date(opensAt).getTime() - 1));
    expect(await state()).toBe('scheduled');
    t.clock.set(new Date(opensAt));
    expect(await state()).toBe('open');
    t.clock.set(new Date(new Date(closesAt).getTime() - 1));
    expect(await state()).toBe('open');
    t.clock.set(new Date(closesAt));
    expect(await state()).toBe('closed');
  });

  it('refuses a second overlapping round on the same document', async () => {
    const res = await t
      .http()
      .post(`/api/consultations/${consultationId}/rounds`)
      .set(chair.auth)
      .send({
        documentId,
        opensAt: new Date(Date.now() + 120_000).toISOString(),
        closesAt: new Date(Date.now() + 7_200_000).toISOString(),
      });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('ROUND_OVERLAP');
  });

  it('extends and closes early, recording who and when; participants cannot', async () => {
    const list = (await t.http().get(`/api/consultations/${consultationId}/rounds`)).body;
    const r = list.find((x: { documentId: string }) => x.documentId === documentId);
    t.clock.set(new Date(new Date(r.opensAt).getTime() + 1000));
    await t.http().patch(`/api/rounds/${r.id}`).set(other.auth).send({ close: true }).expect(403);
    const later = new Date(new Date(r.closesAt).getTime() + 86_400_000).toISOString();
    const ext = await t
      .http()
      .patch(`/api/rounds/${r.id}`)
      .set(chair.auth)
      .send({ closesAt: later, reason: 'Requests from the African Group' })
      .expect(200);
    expect(ext.body.closesAt).toBe(later);
    const shorter = await t.http().patch(`/api/rounds/${r.id}`).set(chair.auth).send({ closesAt: r.opensAt });
    expect(shorter.status).toBe(422);
    const closed = await t.http().patch(`/api/rounds/${r.id}`).set(chair.auth).send({ close: true }).expect(200);
    expect(closed.body.state).toBe('closed');
    expect(closed.body.history.map((h: { action: string; actorId: string }) => [h.action, h.actorId])).toEqual([
      ['created', chair.id],
      ['extended', chair.id],
      ['closed', chair.id],
    ]);
    await t.http().patch(`/api/rounds/${r.id}`).set(chair.auth).send({ close: true }).expect(409);
  });

  it('validates windows', async () => {
    const bad = await t
      .http()
      .post(`/api/consultations/${consultationId}/rounds`)
      .set(chair.auth)
      .send({ documentId, opensAt: 'tomorrow', closesAt: '2030-01-01T00:00:00Z' });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/opensAt must be an ISO 8601/);
    const inverted = await t
      .http()
      .post(`/api/consultations/${consultationId}/rounds`)
      .set(chair.auth)
      .send({ documentId, opensAt: '2031-01-02T00:00:00Z', closesAt: '2031-01-01T00:00:00Z' });
    expect(inverted.status).toBe(422);
    await t
      .http()
      .post(`/api/consultations/${consultationId}/rounds`)
      .set(other.auth)
      .send({ documentId, opensAt: '2031-01-01T00:00:00Z', closesAt: '2031-01-02T00:00:00Z' })
      .expect(403);
  });
});
