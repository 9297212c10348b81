import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import {
  type Actor,
  listingsSettled,
  openConsultation,
  participant,
  startTestApp,
  TestApp,
  withRoles,
} from '../support';

const executablePath = process.env.CHROMIUM_PATH;
const maybe = executablePath ? describe : describe.skip;
if (!executablePath) {
  if (process.env.PLENARY_REQUIRE_ALL) throw new Error('Chromium is required here (CI) but CHROMIUM_PATH is not set.');
  console.warn("SKIPPED: browser tests — no Chromium (install Debian's chromium package or set CHROMIUM_PATH).");
}

/** axe-core in the page: the serious and critical violations (there must be none). */
async function axe(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const result = (await page.evaluate('axe.run()')) as {
    violations: { id: string; impact: string; nodes: { target: string[] }[] }[];
  };
  return result.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}

jest.setTimeout(120_000); // whole journeys; each step has its own 10 s limit

maybe('the web app in headless Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp({ SUBMISSION_RATE_LIMIT: '1000' });
    url = await t.listen();
    browser = await chromium.launch({
      executablePath,
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
        '--no-first-run',
      ],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  /** A browser context signed in as this actor (the app keeps its session in sessionStorage). */
  async function signedIn(actor: Actor, name: string, roles: string[] = ['participant']): Promise<BrowserContext> {
    const context = await browser.newContext();
    const session = JSON.stringify({
      accessToken: actor.token,
      refreshToken: actor.refreshToken,
      expiresAt: Date.now() + 900_000,
      user: { id: actor.id, displayName: name, roles },
    });
    await context.addInitScript(`sessionStorage.setItem('plenary.session', ${JSON.stringify(session)})`);
    return context;
  }

  /** A page that records uncaught errors, to assert there were none. */
  async function page(context?: BrowserContext): Promise<Page & { errors: string[] }> {
    const p = (await (context ?? browser).newPage()) as Page & { errors: string[] };
    p.errors = [];
    p.setDefaultTimeout(10_000); // a step that does not happen fails with its locator named, well before the test's limit
    p.on('pageerror', (e) => p.errors.push(e.message));
    return p;
  }

  const moderatorOf = async (chair: Actor, consultationId: string) => {
    const m = await participant(t);
    await t
      .http()
      .post(`/api/consultations/${consultationId}/members`)
      .set(chair.auth)
      .send({ userId: m.id, role: 'moderator' })
      .expect(201);
    return m;
  };

  it('reads a draft with per-paragraph counts that update live, without reloading', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const p = await page();
    await p.goto(`${url}/`);
    await p.getByRole('heading', { name: 'Consultations' }).waitFor();
    await p.getByRole('link', { name: `Consultation ${c.code}` }).click();
    await p.locator('[data-label="1"]').waitFor();
    expect(await p.locator('[data-label="1"] strong').textContent()).toBe('right'); // **right** rendered as bold
    expect(await p.getByTestId('count-1').textContent()).toBe('0');
    await p.getByTestId('presence').waitFor();
    const who = await participant(t);
    await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
      .set(who.auth)
      .send({ kind: 'comment', body: '<img src=x onerror=alert(1)>' })
      .expect(201);
    await p.getByTestId('new-count').waitFor();
    expect(await p.getByTestId('new-count').textContent()).toMatch(/^1 new contribution/);
    expect(await p.getByTestId('count-1').textContent()).toBe('1');
    // The public reads the thread; the markup arrives as text.
    await p.getByRole('button', { name: 'Comment on paragraph 1' }).click();
    await p.getByTestId('contribution').waitFor();
    expect(await p.getByTestId('contribution').locator('.body').textContent()).toBe('<img src=x onerror=alert(1)>');
    expect(await p.locator('.thread img').count()).toBe(0);
    expect(await p.getByText('Sign in to comment, reply or endorse.').count()).toBe(1);
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it('catches up by itself after the connection drops', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const context = await browser.newContext();
    const p = await page(context);
    await p.goto(`${url}/#/c/${c.consultationId}`);
    await p.getByTestId('presence').waitFor();
    await context.setOffline(true);
    const who = await participant(t);
    for (const label of ['1', '2', '2']) {
      await t
        .http()
        .post(`/api/paragraphs/${c.paragraphs[label]}/contributions`)
        .set(who.auth)
        .send({ kind: 'comment', body: `While offline on ${label}` })
        .expect(201);
    }
    await p.waitForTimeout(1500);
    expect(await p.getByTestId('new-count').count()).toBe(0); // the connection really is down: nothing arrived
    await context.setOffline(false);
    await p
      .getByTestId('new-count')
      .filter({ hasText: /^3 new contributions/ })
      .waitFor({ timeout: 20_000 });
    expect(await p.getByTestId('count-1').textContent()).toBe('1');
    expect(await p.getByTestId('count-2').textContent()).toBe('2');
    await context.close();
  });

  it('a participant registers, proposes wording, replies, endorses, flags, and follows their contributions; in French too', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const earlier = await participant(t, { displayName: 'Kwame Mensah' });
    await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['2']}/contributions`)
      .set(earlier.auth)
      .send({ kind: 'comment', body: 'Capacity for whom?' })
      .expect(201);
    const p = await page();
    await p.goto(`${url}/`);
    await p.getByRole('heading', { name: 'Consultations' }).waitFor();
    expect(await axe(p)).toEqual([]);
    await p.getByRole('button', { name: 'Sign in' }).click();
    await p.getByRole('button', { name: 'Register' }).click();
    expect(await axe(p)).toEqual([]);
    await p.getByLabel('Email', { exact: true }).fill(`browser-${Date.now()}@example.org`);
    await p.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await p.getByLabel('Name', { exact: true }).fill('Amina Diallo');
    await p.getByLabel('Stakeholder group').selectOption('civil_society');
    await p.getByLabel('Organisation', { exact: true }).fill('APC');
    await p.getByLabel('Country', { exact: true }).fill('Senegal');
    await p.getByRole('button', { name: 'Register' }).first().click();
    await p.getByText('Amina Diallo').waitFor();
    await p.getByRole('link', { name: `Consultation ${c.code}` }).click();
    await p.locator('[data-label="2"]').waitFor();
    expect(await axe(p)).toEqual([]);

    await p.getByRole('button', { name: 'Comment on paragraph 2' }).click();
    await p.getByText('Capacity for whom?').waitFor();
    await p.getByLabel('Type').selectOption('amendment');
    await p.getByLabel('The paragraph as you would have it').fill('Capacity building matters for all.');
    expect(await p.locator('form .diff ins').first().textContent()).toMatch(/for all/);
    await p.getByLabel('Your comment').fill('Name who benefits.');
    await p.getByRole('button', { name: 'Submit' }).click();
    await p.getByTestId('receipt').waitFor();
    expect(await p.getByTestId('receipt').textContent()).toMatch(new RegExp(`${c.code}-R1-\\d{6}`));
    await p.getByText('Name who benefits.').waitFor();
    expect(await axe(p)).toEqual([]);

    // Endorse, reply to and flag the earlier contribution.
    const theirs = p.locator('[data-testid="contribution"]', { hasText: 'Capacity for whom?' }).first();
    await theirs.getByRole('button', { name: 'Endorse' }).click();
    await theirs.getByRole('button', { name: 'Withdraw my endorsement' }).waitFor();
    expect(await theirs.getByTestId('endorsements').first().textContent()).toBe('1 endorsement');
    await theirs.getByRole('button', { name: 'Reply' }).first().click();
    await theirs.getByLabel('Your reply').fill('For the least connected, first.');
    await theirs.getByRole('button', { name: 'Send the reply' }).click();
    await p.locator('.replies').getByText('For the least connected, first.').waitFor();
    await theirs.locator('summary', { hasText: 'Report to the moderators' }).first().click();
    await theirs.getByLabel('Why').first().selectOption('off_topic');
    await theirs.getByRole('button', { name: 'Send the report' }).first().click();
    await theirs.getByText('Thank you: the moderators will look at it.').waitFor();
    const endorsed = await t.http().get(`/api/paragraphs/${c.paragraphs['2']}/contributions`).expect(200);
    expect(endorsed.body.items.find((x: { body: string }) => x.body === 'Capacity for whom?').endorsements.total).toBe(
      1,
    );

    await listingsSettled(t);
    await p.getByRole('link', { name: 'My contributions' }).click();
    await p.getByTestId('mine-item').nth(1).waitFor();
    expect(await p.getByTestId('mine-item').count()).toBe(2);
    expect(await p.getByTestId('mine-status').allTextContents()).toEqual(['published', 'published']);
    expect(await p.getByTestId('mine-disposition').first().textContent()).toBe('Not answered yet.');
    expect(await axe(p)).toEqual([]);

    await p.getByRole('button', { name: 'Français' }).click();
    await p.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(await p.evaluate('document.documentElement.lang')).toBe('fr');
    expect(await p.getByTestId('mine-disposition').first().textContent()).toBe('Pas encore de réponse.');
    expect(await axe(p)).toEqual([]);
    await p.getByRole('button', { name: 'English' }).click();
    expect(p.errors).toEqual([]);
    await p.close();
  });

  it('a submission reaches the moderator live, is approved by keyboard, shows published to its author without reloading; bulk decisions and flags', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair, { policy: 'pre' });
    const moderator = await moderatorOf(chair, c.consultationId);
    const author = await participant(t);

    const modContext = await signedIn(moderator, 'Moderator');
    const mod = await page(modContext);
    await mod.goto(`${url}/#/c/${c.consultationId}/moderate`);
    await mod.getByText('The queue is empty').waitFor();
    expect(await axe(mod)).toEqual([]);

    const authorContext = await signedIn(author, 'Author');
    const a = await page(authorContext);
    await a.goto(`${url}/#/c/${c.consultationId}`);
    await a.getByRole('button', { name: 'Comment on paragraph 1' }).click();
    await a.getByLabel('Your comment').fill('Please add a target for 2030.');
    await a.getByRole('button', { name: 'Submit' }).click();
    await a.getByTestId('receipt').waitFor();
    expect(await a.getByTestId('receipt').textContent()).toMatch(/once a moderator has approved it/);
    await a.getByTestId('status').waitFor();
    expect(await a.getByTestId('status').textContent()).toBe('awaiting moderation');

    const item = mod.getByTestId('queue-item');
    await item.waitFor(); // arrived without a reload
    expect(await item.textContent()).toContain('Please add a target for 2030.');
    await item.focus();
    await mod.keyboard.press('a');
    await mod.getByText('The queue is empty').waitFor();
    await a.getByTestId('status').waitFor({ state: 'detached' }); // published, without a reload
    expect(await a.getByTestId('contribution').count()).toBe(1);

    // Three more arrive; the moderator selects all and rejects them at once, with a reason.
    const others = await Promise.all([participant(t), participant(t), participant(t)]);
    for (const [i, o] of others.entries()) {
      await t
        .http()
        .post(`/api/paragraphs/${c.paragraphs['2']}/contributions`)
        .set(o.auth)
        .send({ kind: 'comment', body: `Buy cheap watches ${i}` })
        .expect(201);
    }
    await mod.getByTestId('queue-item').nth(2).waitFor();
    await mod.getByLabel('Reason for reject or hide').selectOption('spam');
    await mod.getByLabel('Select all').check();
    expect(await mod.getByTestId('selected-count').textContent()).toBe('3 selected');
    await mod.getByRole('button', { name: 'Reject selected' }).click();
    await mod.getByTestId('outcome').filter({ hasText: '3 contributions rejected.' }).waitFor();
    await mod.getByText('The queue is empty').waitFor();

    // Readers flag the approved one as falsely attributed: it comes back, urgent, with its flags shown.
    const flagger = await participant(t);
    const [published] = (await t.http().get(`/api/paragraphs/${c.paragraphs['1']}/contributions`).expect(200)).body
      .items;
    await t
      .http()
      .post(`/api/contributions/${published.id}/flags`)
      .set(flagger.auth)
      .send({ reason: 'falsely_attributed' })
      .expect(201);
    await mod.getByLabel('Show').selectOption('urgent');
    await mod.getByTestId('flags').waitFor();
    expect(await mod.getByTestId('flags').textContent()).toContain('Falsely attributed to me × 1');
    expect(await axe(mod)).toEqual([]);
    await mod.getByRole('button', { name: 'Hide', exact: true }).click();
    await mod.getByText('The queue is empty').waitFor();
    await a.getByTestId('status').filter({ hasText: 'hidden' }).waitFor(); // the author's page follows, without a reload
    const pub = await page();
    await pub.goto(`${url}/#/c/${c.consultationId}`);
    await pub.getByRole('button', { name: 'Comment on paragraph 1' }).click();
    await pub.getByText('Hidden by the moderators (Spam).').waitFor(); // the public sees a trace, not the text
    expect(await pub.getByText('Please add a target for 2030.').count()).toBe(0);
    await pub.close();

    expect([...mod.errors, ...a.errors]).toEqual([]);
    await modContext.close();
    await authorContext.close();
  });

  it('a moderator reviews a campaign (confirm, split) and answers contributions in the matrix; the author sees the answer', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const moderator = await moderatorOf(chair, c.consultationId);
    const letter =
      'We urge the secretariat to protect community networks and guarantee affordable spectrum for rural areas in every region of the world.';
    const signers = await Promise.all(Array.from({ length: 6 }, () => participant(t)));
    for (const [i, s] of signers.entries()) {
      await t
        .http()
        .post(`/api/paragraphs/${c.paragraphs['3']}/contributions`)
        .set(s.auth)
        .send({ kind: 'comment', body: i === 5 ? `${letter} Thank you.` : letter })
        .expect(201);
    }
    const author = await participant(t);
    const mine = await t
      .http()
      .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
      .set(author.auth)
      .send({
        kind: 'amendment',
        body: 'Say universal.',
        proposedText: 'Access to information is a universal **right**.',
      })
      .expect(201);

    const context = await signedIn(moderator, 'Moderator');
    const m = await page(context);
    await m.goto(`${url}/#/c/${c.consultationId}/clusters`);
    const cluster = m.getByTestId('cluster').first();
    await cluster.waitFor();
    expect(await cluster.textContent()).toContain('6 copies');
    expect(await axe(m)).toEqual([]);
    await cluster.getByRole('button', { name: 'Review the 6 members' }).click();
    await cluster.getByRole('button', { name: 'Confirm as one campaign' }).click();
    await cluster.getByText('confirmed').first().waitFor();
    await cluster.getByRole('checkbox').first().check();
    await cluster.getByRole('button', { name: 'Split out 1 member' }).click();
    await m.getByText('5 copies').waitFor();

    await m.getByRole('link', { name: 'Resolution matrix' }).click();
    const row = m.locator(`[data-tracking="${mine.body.trackingNumber}"]`);
    await row.waitFor();
    expect(await axe(m)).toEqual([]);
    await row.getByLabel('Secretariat’s answer').selectOption('accepted');
    await row.getByLabel('Response').fill('Taken up in rev.1.');
    await row.getByRole('button', { name: 'Save' }).click();
    await row.getByText('Saved.').waitFor();
    await m
      .getByTestId('matrix-progress')
      .filter({ hasText: /^1 of 7 answered/ })
      .waitFor();
    const [csv] = await Promise.all([
      m.waitForEvent('download'),
      m.getByRole('link', { name: 'Download as CSV (Excel)' }).click(),
    ]);
    expect(csv.suggestedFilename()).toMatch(/^resolution-matrix-.*\.csv$/);

    await listingsSettled(t);
    const authorContext = await signedIn(author, 'Author');
    const a = await page(authorContext);
    await a.goto(`${url}/#/c/${c.consultationId}/mine`);
    await a.getByTestId('mine-disposition').waitFor();
    expect(await a.getByTestId('mine-disposition').textContent()).toBe('Accepted — Taken up in rev.1.');
    expect([...m.errors, ...a.errors]).toEqual([]);
    await context.close();
    await authorContext.close();
  });

  it('a chair creates a consultation, imports a draft, runs rounds, publishes a revision with a corrected lineage, compares versions and downloads the report', async () => {
    const chair = await withRoles(t, ['chair']);
    const context = await signedIn(chair, 'Chair', ['participant', 'chair']);
    const p = await page(context);
    await p.goto(`${url}/#/chair`);
    await p.getByText('You do not chair any consultation yet').waitFor();
    expect(await axe(p)).toEqual([]);
    await p.getByLabel('Title').fill('Browser-made consultation');
    await p.getByLabel('Short code for tracking numbers (optional, e.g. C11)').fill('BRW');
    await p.getByRole('button', { name: 'Create the consultation' }).click();
    await p
      .getByLabel('Paste the draft text')
      .fill(
        'Draft vision\n\n1. Access to information is a **right**.\n\n2. Capacity building matters.\n\n3. Financing mechanisms.',
      );
    await p.getByRole('button', { name: 'Import the draft' }).click();
    await p.getByTestId('import-report').waitFor();
    expect(await p.getByTestId('import-report').textContent()).toMatch(/3 numbered paragraphs.*No warnings/);
    await p.getByRole('button', { name: 'Open it to the public' }).click();
    await p.getByText('This consultation is open.').waitFor();
    await p.getByRole('button', { name: 'Open a round for comment' }).click();
    await p.getByTestId('round-message').waitFor();
    expect(await p.getByTestId('round-message').textContent()).toMatch(/Round R1 is set/);
    await p.getByTestId('round').getByLabel('Reason (public)').fill('Requested by two regional groups.');
    await p.getByTestId('round').getByRole('button', { name: 'Extend' }).click();
    await p.getByText('Round R1 is extended.').waitFor();
    const helper = await participant(t, { displayName: 'Mira Moderator' });
    await p.getByLabel('Email they sign in with').fill(helper.email);
    await p.getByRole('button', { name: 'Add', exact: true }).click();
    await p.getByTestId('members').getByText('Mira Moderator').waitFor();
    await p.getByLabel('Email they sign in with').fill('nobody@example.org');
    await p.getByRole('button', { name: 'Add', exact: true }).click();
    await p.getByText(/ask them to register first/).waitFor();
    expect(await axe(p)).toEqual([]);

    // A revision: paragraph 2 rewritten beyond recognition, which the chair says continues the old paragraph 2.
    await p
      .getByLabel('Paste the draft text')
      .fill(
        'Draft vision\n\n1. Access to information is a **right**.\n\n2. Skills for everyone, everywhere.\n\n3. Financing mechanisms.',
      );
    await p.getByLabel('Note on this revision (optional, public)').fill('After R1');
    await p.getByRole('button', { name: 'Check how the paragraphs continue' }).click();
    await p.getByTestId('lineage').waitFor();
    const second = p.getByLabel('Paragraph 2 continues');
    expect(await second.inputValue()).toBe('');
    const options = await second.locator('option').allTextContents();
    await second.selectOption({ label: options.find((o) => o.startsWith('¶2:'))! });
    expect(await p.getByTestId('lineage').textContent()).toContain('corrected by you');
    expect(await axe(p)).toEqual([]);
    await p.getByRole('button', { name: 'Publish the revision' }).click();
    await p.getByTestId('published').waitFor();
    expect(await p.getByTestId('published').textContent()).toBe('rev.1 is published (1 corrections).');

    // The reader switches versions and compares them.
    await p.getByRole('link', { name: 'Document', exact: true }).click();
    await p.getByLabel('Version').waitFor();
    await p.getByRole('link', { name: 'Compare versions' }).click();
    await p.getByTestId('diff-summary').waitFor();
    expect(await p.getByTestId('diff-summary').textContent()).toBe('unchanged: 2 · changed: 1');
    expect(await p.locator('[data-status="changed"] ins').first().textContent()).toMatch(/Skills/);
    expect(await axe(p)).toEqual([]);
    const [tracked] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('link', { name: 'Word file with tracked changes' }).click(),
    ]);
    expect(tracked.suggestedFilename()).toMatch(/tracked\.docx$/);

    await p.getByRole('link', { name: 'Run this consultation' }).click();
    await p.getByRole('button', { name: 'Generate an interim report' }).click();
    await p.getByTestId('report').waitFor();
    await p.waitForFunction(() =>
      Array.from(
        (globalThis as any).document.querySelectorAll('.charts img') as { complete: boolean; naturalWidth: number }[],
      ).every((i) => i.complete && i.naturalWidth > 0),
    );
    expect(await p.locator('.charts img').count()).toBe(4);
    expect(await axe(p)).toEqual([]);
    const [docx] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('link', { name: 'Download DOCX' }).click(),
    ]);
    expect(docx.suggestedFilename()).toMatch(/^report-BRW-.*\.docx$/);
    const [pdf] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('link', { name: 'Download PDF' }).click(),
    ]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);

    p.once('dialog', (d) => void d.accept());
    await p.getByTestId('round').getByRole('button', { name: 'Close now' }).click();
    await p.getByText('Round R1 is closed.').waitFor();
    expect(p.errors).toEqual([]);
    await context.close();
  });

  it('refreshes an expired access token by itself', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const who = await participant(t);
    const stale = { ...who, token: 'expired.not.valid' };
    const context = await signedIn(stale, 'Stale');
    const p = await page(context);
    await p.goto(`${url}/#/c/${c.consultationId}/mine`);
    await p.getByText('You have not contributed to this consultation yet').waitFor();
    const stored = JSON.parse((await p.evaluate(`sessionStorage.getItem('plenary.session')`)) as string);
    expect(stored.accessToken).not.toBe('expired.not.valid');
    expect(stored.refreshToken).not.toBe(who.refreshToken); // rotated
    await context.close();
  });

  it('renders a corpus of XSS payloads inert, whether they arrive through the API or live through the socket', async () => {
    const payloads: string[] = JSON.parse(readFileSync(join(__dirname, '../fixtures/xss-payloads.json'), 'utf8'));
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    await t
      .http()
      .patch(`/api/consultations/${c.consultationId}`)
      .set(chair.auth)
      .send({ description: payloads[1] })
      .expect(200);
    const evil = await participant(t, { displayName: payloads[0].slice(0, 100), organisation: payloads[2] });
    const half = Math.floor(payloads.length / 2);
    const post = (body: string, i: number) =>
      t
        .http()
        .post(`/api/paragraphs/${c.paragraphs['1']}/contributions`)
        .set(evil.auth)
        .send(i % 3 === 0 ? { kind: 'amendment', body, proposedText: body } : { kind: 'comment', body })
        .expect(201);
    for (const [i, x] of payloads.slice(0, half).entries()) await post(x, i); // before the page opens: through the API
    await listingsSettled(t);
    const viewer = await participant(t);
    const context = await signedIn(viewer, 'Viewer');
    const p = await page(context);
    const dialogs: string[] = [];
    p.on('dialog', (d) => (dialogs.push(d.message()), void d.dismiss()));
    await p.goto(`${url}/#/c/${c.consultationId}`);
    await p.getByRole('button', { name: 'Comment on paragraph 1' }).click();
    await p
      .getByTestId('contribution')
      .nth(half - 1)
      .waitFor();
    for (const [i, x] of payloads.slice(half).entries()) await post(x, half + i); // while it is open: live, through the socket
    await p
      .getByTestId('new-count')
      .filter({ hasText: new RegExp(`^${payloads.length - half} new`) })
      .waitFor();
    await p
      .getByTestId('contribution')
      .nth(payloads.length - 1)
      .waitFor();
    expect(await p.getByTestId('count-1').textContent()).toBe(String(payloads.length)); // counted once each
    const bodies = await p.getByTestId('contribution').locator('.body').allTextContents();
    expect(bodies.sort()).toEqual([...payloads].sort()); // every payload shown as the text it is
    expect(await p.getByText(payloads[1]).count()).toBeGreaterThan(0); // the description, as text
    await p.getByRole('link', { name: 'My contributions' }).waitFor();
    expect(await p.evaluate('window.__pwned')).toBeUndefined();
    expect(
      await p.evaluate(
        `document.querySelectorAll('main script, main iframe, main object, main embed, main svg, main img, main marquee, main video, main meta, main style').length`,
      ),
    ).toBe(0);
    // No element carries an event-handler attribute or a javascript: link.
    expect(
      await p.evaluate(
        `[...document.querySelectorAll('main *')].filter((el) => [...el.attributes].some((a) => a.name.startsWith('on') || /^\\s*javascript:/i.test(a.value))).length`,
      ),
    ).toBe(0);
    expect(dialogs).toEqual([]);
    expect(p.errors).toEqual([]);
    await context.close();
  });

  it('fits a phone-sized screen', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const context = await browser.newContext({ viewport: { width: 360, height: 740 }, isMobile: true });
    const p = await page(context);
    await p.goto(`${url}/#/c/${c.consultationId}`);
    await p.locator('[data-label="3"]').waitFor();
    await p.getByRole('button', { name: 'Comment on paragraph 1' }).click();
    await p.getByText('No contributions on this paragraph yet').waitFor();
    expect(await p.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(360);
    await context.close();
  });

  it('shows a clear message when the API refuses', async () => {
    const p = await page();
    await p.goto(`${url}/#/c/00000000-0000-4000-8000-000000000000`);
    await p.getByRole('alert').waitFor();
    expect(await p.getByRole('alert').textContent()).toMatch(/does not exist/);
    await p.goto(`${url}/#/nowhere`);
    await p.getByText('There is nothing at this address').waitFor();
    await p.close();
  });
});
