#!/usr/bin/env node
// Takes screenshots of the main pages into docs/screenshots/ (README shows them): starts the built server on a
// scratch embedded database with the demo consultation, signs in as the admin, and drives headless Chromium.
// Usage: npm run build && node scripts/screenshots.mjs   (needs Chromium at CHROMIUM_PATH or /usr/bin/chromium)
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = fileURLToPath(new URL('..', import.meta.url));
const out = join(root, 'docs', 'screenshots');
mkdirSync(out, { recursive: true });
const port = 3300 + Math.floor(Math.random() * 500);
const server = spawn(process.execPath, [join(root, 'dist/apps/api/src/main.js')], {
  cwd: root,
  env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', DATA_DIR: mkdtempSync(join(tmpdir(), 'plenary-shots-')), ADMIN_PASSWORD: 'screenshot-admin-password', LOG_LEVEL: 'warn' },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve) => server.stdout.on('data', (d) => String(d).includes('Plenary is running') && resolve()));
const base = `http://127.0.0.1:${port}`;
const login = await (await fetch(`${base}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ email: 'admin@plenary.local', password: 'screenshot-admin-password' }) })).json();
const [demo] = await (await fetch(`${base}/api/consultations`)).json();
const rounds = await (await fetch(`${base}/api/consultations/${demo.id}/rounds`)).json();
const doc = await (await fetch(`${base}/api/documents/${rounds[0].documentId}`)).json();
const first = doc.sections.flatMap((s) => s.paragraphs)[2];
for (const body of ['Community networks deserve an explicit mention here.', 'We support this paragraph as drafted.']) {
  await fetch(`${base}/api/paragraphs/${first.id}/contributions`, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${login.accessToken}` }, body: JSON.stringify({ kind: 'comment', body }) });
}
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'] });
const context = await browser.newContext({ viewport: { width: 1100, height: 800 } });
await context.addInitScript(`sessionStorage.setItem('plenary.session', ${JSON.stringify(JSON.stringify({ accessToken: login.accessToken, user: { id: login.user.id, displayName: 'Administrator' } }))}); localStorage.setItem('plenary.lang', 'en');`);
const page = await context.newPage();
const shot = async (name) => {
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage: false });
};
await page.goto(`${base}/`);
await page.getByRole('heading', { name: 'Consultations' }).waitFor();
await shot('consultations');
await page.goto(`${base}/#/c/${demo.id}`);
await page.locator(`[data-label="${first.label}"]`).waitFor();
await page.getByRole('button', { name: `Comment ${first.label}` }).click();
await page.locator('.thread li').first().waitFor();
await page.getByLabel('Type').selectOption('amendment');
await page.getByLabel('The paragraph as you would have it').fill(`${first.text.replace(/\*/g, '')} including community networks.`);
await shot('reader-thread');
await page.goto(`${base}/#/c/${demo.id}/moderate`);
await page.getByRole('heading', { name: 'Moderation queue' }).waitFor();
await shot('moderation-queue');
await page.goto(`${base}/#/chair`);
await page.getByRole('heading', { name: 'Run a consultation' }).waitFor();
await shot('chair');
await browser.close();
server.kill('SIGTERM');
console.log(`screenshots in ${out}`);
