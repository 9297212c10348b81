import { chromium, type Browser } from 'playwright-core';
import { openConsultation, participant, startTestApp, TestApp, withRoles } from '../support';

const executablePath = process.env.CHROMIUM_PATH;
const maybe = executablePath ? describe : describe.skip;
if (!executablePath) {
  if (process.env.PLENARY_REQUIRE_ALL) throw new Error('Chromium is required here (CI) but CHROMIUM_PATH is not set.');
  console.warn('SKIPPED: browser tests — no Chromium (install Debian\'s chromium package or set CHROMIUM_PATH).');
}

maybe('the web app in headless Chromium', () => {
  let t: TestApp;
  let url: string;
  let browser: Browser;
  beforeAll(async () => {
    t = await startTestApp({ SUBMISSION_RATE_LIMIT: '1000' });
    url = await t.listen();
    browser = await chromium.launch({
      executablePath,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
  });
  afterAll(async () => {
    await browser?.close();
    await t?.close();
  });

  it('reads a draft with per-paragraph counts that update live, without reloading', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Consultations' }).waitFor();
    await page.getByRole('link', { name: `Consultation ${c.code}` }).click();
    await page.locator('[data-label="1"]').waitFor();
    expect(await page.locator('[data-label="1"] strong').textContent()).toBe('right'); // **right** rendered as bold
    expect(await page.getByTestId('count-1').textContent()).toBe('0');
    await page.getByTestId('presence').waitFor();
    const who = await participant(t);
    await t.http().post(`/api/paragraphs/${c.paragraphs['1']}/contributions`).set(who.auth).send({ kind: 'comment', body: '<img src=x onerror=alert(1)>' }).expect(201);
    await page.getByTestId('new-count').waitFor();
    expect(await page.getByTestId('new-count').textContent()).toBe('1 new contribution');
    expect(await page.getByTestId('count-1').textContent()).toBe('1');
    expect(errors).toEqual([]);
    await page.close();
  });

  /** axe-core in the page: the serious and critical violations (there must be none). */
  async function axe(page: import('playwright-core').Page): Promise<string[]> {
    await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
    const result = (await page.evaluate('axe.run()')) as { violations: { id: string; impact: string; nodes: unknown[] }[] };
    return result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => `${v.id} (${v.nodes.length})`);
  }

  it('a participant registers, comments, and gets a receipt; pages pass axe-core; French works', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair);
    const page = await browser.newPage();
    await page.goto(`${url}/`);
    await page.getByRole('heading', { name: 'Consultations' }).waitFor();
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('button', { name: 'Register' }).click();
    const email = `browser-${Date.now()}@example.org`;
    await page.getByLabel('Email', { exact: true }).fill(email);
    await page.getByLabel('Password', { exact: true }).fill('correct horse battery staple');
    await page.getByLabel('Name', { exact: true }).fill('Amina Diallo');
    await page.getByLabel('Stakeholder group').selectOption('civil_society');
    await page.getByLabel('Organisation', { exact: true }).fill('APC');
    await page.getByLabel('Country', { exact: true }).fill('Senegal');
    await page.getByRole('button', { name: 'Register' }).first().click();
    await page.getByText('Amina Diallo').waitFor();
    await page.getByRole('link', { name: `Consultation ${c.code}` }).click();
    await page.locator('[data-label="2"]').waitFor();
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Comment 2' }).click();
    await page.getByText('No contributions on this paragraph yet').waitFor();
    await page.getByLabel('Type').selectOption('amendment');
    await page.getByLabel('The paragraph as you would have it').fill('Capacity building matters for all.');
    expect(await page.locator('.diff ins').first().textContent()).toMatch(/for all/);
    await page.getByLabel('Your comment').fill('Name who benefits.');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByTestId('receipt').waitFor();
    expect(await page.getByTestId('receipt').textContent()).toMatch(new RegExp(`${c.code}-R1-\\d{6}`));
    await page.locator('.thread li').first().waitFor();
    expect(await axe(page)).toEqual([]);
    await page.getByRole('button', { name: 'Français' }).click();
    await page.getByRole('button', { name: 'Se déconnecter' }).waitFor();
    expect(await page.evaluate('document.documentElement.lang')).toBe('fr');
    await page.close();
  });

  /** A browser context signed in as this actor (the app keeps its session in sessionStorage). */
  async function signedIn(actor: { token: string; id: string }, name: string) {
    const context = await browser.newContext();
    const session = JSON.stringify({ accessToken: actor.token, user: { id: actor.id, displayName: name } });
    await context.addInitScript(`sessionStorage.setItem('plenary.session', ${JSON.stringify(session)})`);
    return context;
  }

  it('a submission reaches the moderator live, is approved by keyboard, and shows published to its author without reloading', async () => {
    const chair = await withRoles(t, ['chair']);
    const c = await openConsultation(t, chair, { policy: 'pre' });
    const moderator = await participant(t);
    await t.http().post(`/api/consultations/${c.consultationId}/members`).set(chair.auth).send({ userId: moderator.id, role: 'moderator' }).expect(201);
    const author = await participant(t);

    const modContext = await signedIn(moderator, 'Moderator');
    const mod = await modContext.newPage();
    await mod.goto(`${url}/#/c/${c.consultationId}/moderate`);
    await mod.getByText('The queue is empty').waitFor();
    expect(await axe(mod)).toEqual([]);

    const authorContext = await signedIn(author, 'Author');
    const page = await authorContext.newPage();
    await page.goto(`${url}/#/c/${c.consultationId}`);
    await page.getByRole('button', { name: 'Comment 1' }).click();
    await page.getByLabel('Your comment').fill('Please add a target for 2030.');
    await page.getByRole('button', { name: 'Submit' }).click();
    await page.getByTestId('receipt').waitFor();
    await page.getByTestId('status').waitFor();
    expect(await page.getByTestId('status').textContent()).toBe('awaiting moderation');

    const item = mod.getByTestId('queue-item');
    await item.waitFor(); // arrived without a reload
    expect(await item.textContent()).toContain('Please add a target for 2030.');
    await item.focus();
    await mod.keyboard.press('a');
    await mod.getByText('The queue is empty').waitFor();

    await page.getByTestId('status').waitFor({ state: 'detached' }); // published, without a reload
    expect(await page.locator('.thread li').count()).toBe(1);
    await modContext.close();
    await authorContext.close();
  });

  it('a chair creates a consultation, imports a draft, opens a round and downloads the report', async () => {
    const chair = await withRoles(t, ['chair']);
    const context = await signedIn(chair, 'Chair');
    const page = await context.newPage();
    await page.goto(`${url}/#/chair`);
    await page.getByLabel('Title').fill('Browser-made consultation');
    await page.getByLabel('Short code for tracking numbers (optional, e.g. C11)').fill('BRW');
    await page.getByRole('button', { name: 'Create and open the consultation' }).click();
    await page.getByLabel('Paste the draft text').fill('Draft vision\n\n1. Access to information is a **right**.\n\n2. Capacity building matters.\n\n3. Financing mechanisms.');
    await page.getByRole('button', { name: 'Import the draft' }).click();
    await page.getByTestId('import-report').waitFor();
    expect(await page.getByTestId('import-report').textContent()).toMatch(/3 paragraphs, 0 warnings/);
    await page.getByRole('button', { name: 'Open a round for comment' }).click();
    await page.getByText(/Round R1 is open until/).waitFor();
    await page.getByRole('button', { name: 'Generate the interim report' }).click();
    await page.getByTestId('exports').waitFor();
    expect(await axe(page)).toEqual([]);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download DOCX' }).click()]);
    expect(download.suggestedFilename()).toMatch(/^report-BRW-.*\.docx$/);
    const [pdf] = await Promise.all([page.waitForEvent('download'), page.getByRole('link', { name: 'Download PDF' }).click()]);
    expect(pdf.suggestedFilename()).toMatch(/\.pdf$/);
    await context.close();
  });

  it('shows a clear message when the API refuses', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/#/c/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/does not exist/);
    await page.close();
  });
});
