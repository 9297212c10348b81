#!/usr/bin/env node
// Takes screenshots of the main pages into docs/screenshots/ (README shows them): starts the built server on a
// scratch embedded database with the demo consultation, adds a few participants and contributions through the API,
// and drives headless Chromium as a participant, the moderator-chair (the first admin), and on a phone.
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
  env: {
    ...process.env,
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'plenary-shots-')),
    ADMIN_PASSWORD: 'screenshot-admin-password',
    LOG_LEVEL: 'warn',
    AUTH_RATE_LIMIT: '1000',
    DATABASE_URL: '',
    REDIS_URL: '',
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
await new Promise((resolve) => server.stdout.on('data', (d) => String(d).includes('Plenary is running') && resolve()));
const base = `http://127.0.0.1:${port}`;
const call = async (path, token, body, method = body ? 'POST' : 'GET') => {
  const res = await fetch(`${base}${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    ...(body ? { body: JSON.stringify(body) } : {}),
  });
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${await res.text()}`);
  return res.status === 204 ? null : res.json();
};
const signIn = (email, password) => call('/api/auth/login', null, { email, password });
const admin = await signIn('admin@plenary.local', 'screenshot-admin-password');
const [demo] = await call('/api/consultations');
const [round] = await call(`/api/consultations/${demo.id}/rounds`);
const doc = await call(`/api/documents/${round.documentId}`);
const paragraphs = doc.sections.flatMap((s) => s.paragraphs);
const byLabel = Object.fromEntries(paragraphs.map((p) => [p.label, p]));

// Participants from every stakeholder group and several regions.
const people = [
  ['Amina Diallo', 'civil_society', 'APC', 'SN'],
  ['Kwame Mensah', 'government', 'Ministry of Communications', 'GH'],
  ['Ana Pereira', 'academia', 'Universidade de São Paulo', 'BR'],
  ['Lena Fischer', 'private_sector', 'Telekom', 'DE'],
  ['Hiro Tanaka', 'technical_community', 'APNIC', 'JP'],
  ['Sofia Ruiz', 'intergovernmental', 'UNESCO', 'FR'],
  ['Omar Haddad', 'civil_society', 'SMEX', 'LB'],
  ['Priya Nair', 'civil_society', 'IT for Change', 'IN'],
];
const actors = [];
for (const [i, [displayName, stakeholderGroup, organisation, country]] of people.entries()) {
  const email = `p${i}@example.org`;
  await call('/api/auth/register', null, {
    email,
    password: 'correct horse battery staple',
    displayName,
    stakeholderGroup,
    organisation,
    country,
    capacity: 'representative',
  });
  actors.push({ ...(await signIn(email, 'correct horse battery staple')), displayName });
}
const say = (who, label, body, extra = {}) =>
  call(`/api/paragraphs/${byLabel[label].id}/contributions`, who.accessToken, { kind: 'comment', body, ...extra });
const first = await say(
  actors[0],
  '1',
  'Community networks deserve an explicit mention here: they connect the places markets do not reach.',
);
await say(actors[1], '1', 'We support this paragraph as drafted.');
await say(actors[2], '1', 'Reply: the evidence from Latin America supports this.', {
  kind: 'reply',
  parentId: first.id,
});
const amendment = await say(actors[3], '2', 'Narrow the scope.', {
  kind: 'amendment',
  proposedText: byLabel['2'].text.replace(
    'including Internet governance and digital content',
    'including Internet governance, cybersecurity and digital content',
  ),
});
await call(`/api/contributions/${first.id}/endorsements`, actors[4].accessToken, {});
await call(`/api/contributions/${first.id}/endorsements`, actors[5].accessToken, {});
const letter =
  'We ask that affordable spectrum for rural and indigenous communities be named as a priority of regional cooperation.';
for (const a of actors.slice(3, 8)) await say(a, '5', a === actors[7] ? `${letter} Thank you.` : letter);
const noisy = await say(actors[6], '3', 'Visit my website for cheap deals!!!');
for (const a of actors.slice(0, 3))
  await call(`/api/contributions/${noisy.id}/flags`, a.accessToken, { reason: 'spam' });
await call(
  `/api/contributions/${amendment.id}/disposition`,
  admin.accessToken,
  { disposition: 'accepted_in_part', response: 'Cybersecurity added; the scope is kept.' },
  'PUT',
);
await new Promise((r) => setTimeout(r, 2500)); // listings settle

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run'],
});
const as = async (who, name, roles, viewport = { width: 1100, height: 820 }) => {
  const context = await browser.newContext({
    viewport,
    ...(viewport.width < 500 ? { isMobile: true, deviceScaleFactor: 2 } : {}),
  });
  const session = {
    accessToken: who.accessToken,
    refreshToken: who.refreshToken,
    expiresAt: Date.now() + who.expiresIn * 1000,
    user: { id: who.user.id, displayName: name, roles },
  };
  await context.addInitScript(
    `sessionStorage.setItem('plenary.session', ${JSON.stringify(JSON.stringify(session))}); localStorage.setItem('plenary.lang', 'en');`,
  );
  return context.newPage();
};
const shot = async (page, name, fullPage = false) => {
  await page.waitForTimeout(400);
  await page.screenshot({ path: join(out, `${name}.png`), fullPage });
};
const go = async (page, hash, ready) => {
  await page.goto(`${base}/${hash}`);
  await ready(page).waitFor();
};

const amina = await as(actors[0], 'Amina Diallo', ['participant']);
await go(amina, '', (p) => p.getByRole('heading', { name: 'Consultations' }));
await shot(amina, 'consultations');
await go(amina, `#/c/${demo.id}`, (p) => p.locator('[data-label="2"]'));
await amina.getByRole('button', { name: 'Comment on paragraph 2' }).click();
await amina.getByTestId('contribution').first().waitFor();
await amina.getByLabel('Type').selectOption('amendment');
await amina
  .getByLabel('The paragraph as you would have it')
  .fill(
    byLabel['2'].text.replace(/\*/g, '').replace('of common concern', 'of common concern, with community networks,'),
  );
await amina.evaluate(() => document.getElementById('p-2').scrollIntoView());
await shot(amina, 'reader-thread');
await go(amina, `#/c/${demo.id}/mine`, (p) => p.getByTestId('mine-item').first());
await shot(amina, 'my-contributions');

const chair = await as(admin, 'Administrator', ['admin']);
await go(chair, `#/c/${demo.id}/moderate`, (p) => p.getByTestId('queue-item').first());
await chair.getByLabel('Select all').check();
await shot(chair, 'moderation-queue');
await go(chair, `#/c/${demo.id}/clusters`, (p) => p.getByTestId('cluster').first());
await chair
  .getByRole('button', { name: /Review the/ })
  .first()
  .click();
await chair.locator('.panel table').waitFor();
await shot(chair, 'clusters');
await go(chair, `#/c/${demo.id}/matrix`, (p) => p.getByTestId('matrix-row').first());
await shot(chair, 'matrix');
await go(chair, `#/c/${demo.id}/manage`, (p) => p.getByLabel('Paste the draft text'));
const rev1 = `# Draft vision for international and regional cooperation beyond 2025

## Cooperation for an inclusive information society

1. Promote **regional coordination** across infrastructure, traffic exchange, content and applications, including community networks.

2. Develop a **coordinated approach on regional issues** of common concern, including Internet governance, cybersecurity and digital content.

3. Support the **participation of developing countries** in multistakeholder organisations and in national and regional forums.

4. Foster **cooperation among international organisations**, each within its mandate, for the benefit of all nations and peoples.

5. Name **affordable spectrum for rural and indigenous communities** as a priority of regional cooperation.

## Measurement and follow-up

6. Step up the use of **internationally agreed ICT indicators** and avoid duplication in their collection.
`;
await chair.getByLabel('Paste the draft text').fill(rev1);
await chair.getByLabel('Note on this revision (optional, public)').fill('Revision after the first round');
await chair.getByRole('button', { name: 'Check how the paragraphs continue' }).click();
await chair.getByTestId('lineage').waitFor();
await chair.evaluate(() => document.querySelector('[data-testid="import-report"]').scrollIntoView());
await shot(chair, 'chair-revision');
await chair.getByRole('button', { name: 'Publish the revision' }).click();
await chair.getByTestId('published').waitFor();
await chair.getByRole('button', { name: 'Generate an interim report' }).click();
await chair.getByTestId('report').waitFor();
await chair.waitForFunction(() =>
  [...document.querySelectorAll('.charts img')].every((i) => i.complete && i.naturalWidth > 0),
);
await chair.getByTestId('report').scrollIntoViewIfNeeded();
await shot(chair, 'report');
await go(chair, `#/c/${demo.id}/diff?from=1&to=2`, (p) => p.getByTestId('diff-summary'));
await shot(chair, 'diff');

const phone = await as(actors[1], 'Kwame Mensah', ['participant'], { width: 390, height: 800 });
await go(phone, `#/c/${demo.id}?v=1`, (p) => p.locator('[data-label="1"]'));
await phone
  .getByRole('button', { name: /paragraph 1$/ })
  .first()
  .click();
await phone.getByTestId('contribution').first().waitFor();
await shot(phone, 'phone-reader');
await browser.close();
server.kill('SIGTERM');
console.log(`screenshots in ${out}`);
