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

  it('shows a clear message when the API refuses', async () => {
    const page = await browser.newPage();
    await page.goto(`${url}/#/c/00000000-0000-4000-8000-000000000000`);
    await page.getByRole('alert').waitFor();
    expect(await page.getByRole('alert').textContent()).toMatch(/does not exist/);
    await page.close();
  });
});
