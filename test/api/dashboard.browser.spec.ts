// The dashboard in a real browser (Debian's headless Chromium driven by playwright-core) against the real API and a
// real ledger: it loads, shows a country's utilization, and a newly recorded event's alert appears in the live feed
// without a reload. Screenshots go to test-artifacts/ for a person to look at.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, it } from 'node:test';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { deployment, shipment, startApiFixture, veuGrant, type ApiFixture } from './support/api-fixture';
import { waitFor } from '@app/testing';

const ROOT = path.resolve(__dirname, '..', '..', '..');
const ARTIFACTS = path.join(ROOT, 'test-artifacts');
const CHROMIUM = '/usr/bin/chromium';
const KEY = 'browser-regulator-key';
const CHIPMAKER_KEY = 'browser-nvidia-key';
const CLOUD_KEY = 'browser-aws-key';

let f: ApiFixture;
let context: BrowserContext;
let page: Page;
let userDataDir: string;

// H100 units that put a Tier 2 country (cap 790,000,000 TPP; 15,832 TPP per H100) at the given utilization.
const unitsFor = (utilization: number) => Math.round((790_000_000 * utilization) / 15_832);

before(async () => {
  // Installs Debian's chromium when missing; a failure here fails the test loudly instead of skipping it.
  execFileSync('bash', [path.join(ROOT, 'scripts', 'install-chromium.sh')], { stdio: 'inherit' });
  assert.ok(fs.existsSync(CHROMIUM), `${CHROMIUM} is missing after scripts/install-chromium.sh`);

  f = await startApiFixture('api_browser', { alertPollIntervalMs: 200, checkpointsEveryEntries: 5 });
  await f.addKey(KEY, 'regulator');
  await f.addKey(CHIPMAKER_KEY, 'chipmaker', 'nvidia');
  await f.addKey(CLOUD_KEY, 'cloud-provider', 'aws');
  const countries: Array<[string, number[]]> = [
    ['AE', [0.3, 0.25, 0.16]],
    ['SA', [0.5, 0.3, 0.13]],
    ['SG', [0.42, 0.22]],
    ['IN', [0.2, 0.21]],
    ['MY', [0.33]],
    ['BR', [0.12, 0.2]],
    ['MX', [0.18]],
    ['ID', [0.55, 0.5]],
    ['TH', [0.06]],
  ];
  const events: object[] = [
    veuGrant({ id: 'aws', kind: 'UVEU', headquarters: 'US', at: '2026-01-01T00:00:00Z' }),
    veuGrant({ id: 'g42', kind: 'NVEU', country: 'AE', at: '2026-01-01T00:00:00Z' }),
  ];
  countries.forEach(([cc, parts]) =>
    parts.forEach((u, i) => events.push(shipment({ country: cc, quantity: unitsFor(u), at: `2026-0${1 + i}-${10 + i * 5}T00:00:00Z` }))),
  );
  events.push(
    shipment({ country: 'CN', quantity: 40, at: '2026-02-03T00:00:00Z' }),
    // A competitor's shipment takes BR over 50%: its alert is amd's business, not nvidia's.
    shipment({ country: 'BR', quantity: unitsFor(0.2), at: '2026-02-04T00:00:00Z', publisher: 'amd', eventId: 'amd-br-1' }),
    shipment({ country: 'AE', quantity: 60_000, at: '2026-02-05T00:00:00Z', kind: 'NVEU', ref: 'g42' }),
    deployment({ veuId: 'aws', dc: 'iad-1', country: 'US', quantity: 40_000, at: '2026-01-20T00:00:00Z' }),
    deployment({ veuId: 'aws', dc: 'fra-1', country: 'DE', quantity: 8_000, at: '2026-01-21T00:00:00Z' }),
    deployment({ veuId: 'aws', dc: 'bom-1', country: 'IN', quantity: 2_600, at: '2026-01-22T00:00:00Z' }),
    deployment({ veuId: 'aws', dc: 'gru-1', country: 'BR', quantity: 1_500, at: '2026-01-23T00:00:00Z' }),
  );
  const result = await f.record(events);
  assert.equal(result.rejected, 0, JSON.stringify(result.results.filter((r) => r.status === 'rejected')));

  userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dashboard-chromium-'));
  context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
    viewport: { width: 1440, height: 1000 },
  });
  page = context.pages()[0] ?? (await context.newPage());
  // Nothing may be fetched from outside this server (no CDN): fail on any such request.
  page.on('request', (request) => {
    const url = new URL(request.url());
    if (!['127.0.0.1', 'localhost'].includes(url.hostname) && url.protocol !== 'data:') {
      throw new Error(`the dashboard fetched ${request.url()} from outside the server`);
    }
  });
});

after(async () => {
  await context?.close();
  if (userDataDir) fs.rmSync(userDataDir, { recursive: true, force: true });
  await f?.close();
});

it("loads, shows countries' utilization, and streams a new alert into the feed without a reload", async () => {
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await page.goto(`${f.baseUrl}/?key=${KEY}`);

  const ae = page.getByTestId('country-row-AE');
  await ae.waitFor({ timeout: 15_000 });
  assert.equal(await ae.getByTestId('utilization').textContent(), '71.0%');
  // Ranked: the highest utilization first (ID at 105%).
  const first = page.locator('[data-testid^="country-row-"]').first();
  assert.equal(await first.getAttribute('data-testid'), 'country-row-ID');
  // The key was taken out of the address bar.
  assert.ok(!page.url().includes(KEY));
  await page.locator('#live-status[data-state="on"]').waitFor({ timeout: 10_000 });
  await page.getByTestId('gauge-uveu:aws:outside-tier1').waitFor();

  const before = await page.getByTestId('alert-item').count();
  await f.record([shipment({ country: 'MX', quantity: unitsFor(0.4), at: '2026-03-01T00:00:00Z', eventId: 'nv-mx-live' })]);
  const live = page.locator('[data-testid="alert-item"]', { hasText: 'country:MX' });
  await live.first().waitFor({ timeout: 10_000 });
  assert.match((await live.first().textContent()) ?? '', /Crossed 50%.*nvidia\/nv-mx-live/s);
  assert.equal(await page.getByTestId('alert-item').count(), before + 1);
  // The chart refreshed too: MX now at 58%.
  // (Located, not evaluated: the page's Content-Security-Policy refuses string evaluation, as it should.)
  await page.locator('[data-testid="country-row-MX"] [data-testid="utilization"]', { hasText: /^58\.0%$/ }).waitFor({ timeout: 10_000 });

  fs.mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard.png'), fullPage: true });

  await page.getByTestId('country-row-AE').click();
  await page.getByTestId('balance-chart').locator('svg').waitFor({ timeout: 10_000 });
  assert.match((await page.getByTestId('exhaustion').textContent()) ?? '', /\d{4}/);
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-account.png'), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

// Opens the dashboard in a fresh tab (its own session storage) with this key, failing on page errors and on any
// API answer other than 2xx (the page must ask only for what the key may read).
async function openAs(key: string): Promise<{ tab: Page; problems: string[] }> {
  const tab = await context.newPage();
  const problems: string[] = [];
  tab.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  tab.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()} ${response.url()}`);
  });
  await tab.goto(`${f.baseUrl}/?key=${key}`);
  return { tab, problems };
}

it("shows a chipmaker country totals and its own alerts only, without any competitor's business", async () => {
  const { tab, problems } = await openAs(CHIPMAKER_KEY);
  await tab.getByTestId('country-row-AE').waitFor({ timeout: 15_000 });
  assert.equal(await tab.getByTestId('country-row-AE').getByTestId('utilization').textContent(), '71.0%');
  await tab.locator('#live-status[data-state="on"]').waitFor({ timeout: 10_000 });
  assert.equal(await tab.locator('#veu-gauges').isVisible(), false);
  const feed = async () => (await tab.getByTestId('alert-feed').textContent()) ?? '';
  assert.match(await feed(), /by nvidia\//);
  assert.doesNotMatch(await feed(), /amd/);

  // Live: the competitor's alert does not arrive, the chipmaker's own does.
  await f.record([
    shipment({ country: 'TH', quantity: unitsFor(0.5), at: '2026-03-02T00:00:00Z', publisher: 'amd', eventId: 'amd-th-live' }),
    shipment({ country: 'MY', quantity: unitsFor(0.2), at: '2026-03-02T00:00:00Z', eventId: 'nv-my-live' }),
  ]);
  await tab.locator('[data-testid="alert-item"]', { hasText: 'nv-my-live' }).first().waitFor({ timeout: 10_000 });
  assert.doesNotMatch(await feed(), /amd/);

  // A country's page shows its current figures, and says its history is for regulators.
  await tab.getByTestId('country-row-AE').click();
  await tab.getByTestId('history-withheld').waitFor({ timeout: 10_000 });
  assert.equal(await tab.getByTestId('exhaustion').textContent(), 'regulators only');
  assert.equal(await tab.locator('#acct-util').textContent(), '71.0%');
  await tab.screenshot({ path: path.join(ARTIFACTS, 'dashboard-chipmaker.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await tab.close();
});

it('shows a cloud provider its own VEU only', async () => {
  const { tab, problems } = await openAs(CLOUD_KEY);
  await tab.getByTestId('gauge-uveu:aws:outside-tier1').waitFor({ timeout: 15_000 });
  assert.equal(await tab.locator('#country-card').isVisible(), false);
  assert.equal(await tab.locator('[data-testid^="gauge-"]', { hasText: 'g42' }).count(), 0);
  assert.equal(await tab.locator('[data-testid="gauge-nveu:g42"]').count(), 0);
  await tab.locator('#live-status[data-state="on"]').waitFor({ timeout: 10_000 });
  assert.doesNotMatch((await tab.getByTestId('alert-feed').textContent()) ?? '', /nvidia|amd|g42/);
  await tab.getByTestId('gauge-uveu:aws:outside-tier1').click();
  await tab.getByTestId('balance-chart').locator('svg').waitFor({ timeout: 10_000 });
  await tab.screenshot({ path: path.join(ARTIFACTS, 'dashboard-cloud-provider.png'), fullPage: true });
  assert.deepEqual(problems, []);
  await tab.close();
});

it('shows a regulator how late each publisher reports', async () => {
  await page.goto(`${f.baseUrl}/?key=${KEY}`);
  const row = page.getByTestId('delay-card').locator('tbody tr', { hasText: 'nvidia' });
  await row.waitFor({ timeout: 15_000 });
  // The events above are dated early in 2026 and recorded now: months late, every one over the 72 h threshold.
  const cells = await row.locator('td').allTextContents();
  const events = Number(cells[1]!.replace(/,/g, ''));
  assert.ok(events >= 20, cells.join(' | '));
  assert.equal(cells[5], cells[1]);
  assert.match(cells[4]!, / d$/);
});

it("lets a regulator verify an entry's signed inclusion proof in the browser, and says exactly why a tampered one fails", async () => {
  const { tab, problems } = await openAs(KEY);
  await tab.getByTestId('country-row-AE').click();
  const buttons = tab.getByTestId('verify-entry');
  await buttons.first().waitFor({ timeout: 15_000 });
  const seq = (await buttons.first().getAttribute('data-seq'))!;
  await buttons.first().click();
  const result = tab.locator(`[data-testid="proof-result"][data-seq="${seq}"]`);
  await result.getByTestId('proof-verdict').waitFor({ timeout: 10_000 });
  assert.equal(await result.getByTestId('proof-verdict').textContent(), 'verified in your browser');
  // The checkpoint named is the one the API's document is against; the key shown is the one that signs.
  const doc = (await f.get(`/proof/entries/${seq}/inclusion`, KEY)).body;
  assert.match((await result.textContent()) ?? '', new RegExp(`entry ${seq} is in the ledger of signed checkpoint ${doc.checkpoint.treeSize.toLocaleString('en-US')} `));
  assert.equal(await result.getByTestId('ledger-key').textContent(), f.ledgerPublicKey);
  await tab.screenshot({ path: path.join(ARTIFACTS, 'dashboard-verified.png'), fullPage: true });

  // A proof whose entry was changed on its way (one more TPP) is refused in the browser, with the reason.
  await tab.route('**/proof/entries/*/inclusion', async (route) => {
    const response = await route.fetch();
    const tampered = await response.json();
    tampered.entry.deltaTpp = (BigInt(tampered.entry.deltaTpp) + 1n).toString();
    await route.fulfill({ response, json: tampered });
  });
  const second = (await buttons.nth(1).getAttribute('data-seq'))!;
  await buttons.nth(1).click();
  const refused = tab.locator(`[data-testid="proof-result"][data-seq="${second}"]`);
  await refused.getByTestId('proof-verdict').waitFor({ timeout: 10_000 });
  assert.equal(await refused.getByTestId('proof-verdict').textContent(), 'not verified');
  assert.match((await refused.textContent()) ?? '', new RegExp(`entry ${second}'s content does not hash to its hash: it was changed`));
  assert.deepEqual(problems, []);
  await tab.close();
});

it('serves the interactive API docs from the same server', async () => {
  await page.goto(`${f.baseUrl}/docs`);
  await page.locator('.swagger-ui .opblock-tag', { hasText: 'pre-clearance' }).first().waitFor({ timeout: 15_000 });
  assert.ok((await page.locator('.swagger-ui .opblock').count()) >= 12);
});

it("shows the licences, approved vs shipped vs cap per country, and a licence's page", async () => {
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await f.record([
    {
      type: 'policy.license-issued', version: 1, eventId: 'bis-lic-1', publisher: 'regulator', occurredAt: '2026-01-01T00:00:00Z',
      license: { id: 'D777', exporter: 'nvidia', consignee: { id: 'acme-ai', country: 'AE' }, validFrom: '2026-01-01T00:00:00Z', validTo: '2030-12-31T23:59:59Z', tpp: 1_583_200 },
    },
  ]);
  await f.record([shipment({ country: 'AE', quantity: 30, at: '2026-03-01T00:00:00Z', ref: 'D777', eventId: 'nv-lic-1' })]);
  await page.goto(`${f.baseUrl}/?key=${KEY}#/licences`);
  const row = page.getByTestId('licence-list').locator('tr', { hasText: 'D777' });
  await row.waitFor({ timeout: 15_000 });
  assert.match((await row.textContent()) ?? '', /nvidia.*acme-ai \(AE\).*in-force.*1,583,200.*474,960.*1,108,240.*30%/s);
  assert.match((await page.getByTestId('licence-countries').locator('tr', { hasText: 'AE' }).textContent()) ?? '', /Tier 2.*1 \/ 1.*1,583,200.*474,960.*790,000,000/s);
  await row.locator('a').click();
  await page.getByTestId('licence-shipments').locator('tr', { hasText: 'nvidia/nv-lic-1' }).waitFor({ timeout: 10_000 });
  assert.equal(await page.getByTestId('licence-remaining').textContent(), '1,108,240');
  // 474,960 drawn in the 30 days to 2026-03-01: 1,108,240 left at 15,832 a day is 70 days.
  assert.equal(await page.getByTestId('licence-exhaustion').textContent(), '10 May 2026');
  await page.screenshot({ path: path.join(ARTIFACTS, 'dashboard-licence.png'), fullPage: true });
  assert.deepEqual(consoleErrors, []);
});

it("shows every shipment drawn against a licence and every entry of its account, older pages on request", async () => {
  const consoleErrors: string[] = [];
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  await f.record([
    {
      type: 'policy.license-issued', version: 1, eventId: 'bis-lic-2', publisher: 'regulator', occurredAt: '2026-01-01T00:00:00Z',
      license: { id: 'D778', exporter: 'nvidia', consignee: { id: 'acme-ai', country: 'AE' }, validFrom: '2026-01-01T00:00:00Z', validTo: '2030-12-31T23:59:59Z', tpp: 200 * 15_832 },
    },
  ]);
  const hours = Array.from({ length: 130 }, (_, i) => i);
  await f.record(hours.map((i) => shipment({ country: 'AE', quantity: 1, at: new Date(Date.parse('2026-02-01T00:00:00Z') + i * 3_600_000).toISOString(), ref: 'D778', eventId: `nv-778-${i}` })));
  await page.goto(`${f.baseUrl}/?key=${KEY}#/licences/D778`);
  const rows = page.getByTestId('licence-shipments').locator('tbody tr');
  await rows.first().waitFor({ timeout: 15_000 });
  assert.equal(await rows.count(), 25);
  const more = page.getByTestId('licence-shipments-more');
  await more.click();
  await waitFor(async () => (await rows.count()) === 125, { timeoutMs: 10_000, what: 'the next 100 shipments' });
  await more.click();
  await waitFor(async () => (await rows.count()) === 130, { timeoutMs: 10_000, what: 'the last 5 shipments' });
  assert.equal(await more.count(), 0, 'no button once every shipment is shown');
  // Every shipment once, newest first, down to the first one.
  const events = await page.getByTestId('licence-shipments').locator('tbody tr td:nth-child(3)').allTextContents();
  assert.deepEqual(events, hours.map((i) => `nvidia/nv-778-${129 - i}`));

  // The licence's account page: the newest 25 entries, then older ones 100 at a time, each once, down to the first.
  await page.goto(`${f.baseUrl}/?key=${KEY}#/account/license:D778`);
  const entries = page.locator('#acct-entries tr');
  await waitFor(async () => (await entries.count()) === 25, { timeoutMs: 15_000, what: 'the newest 25 entries' });
  const older = page.getByTestId('acct-entries-more');
  await older.click();
  await waitFor(async () => (await entries.count()) === 125, { timeoutMs: 10_000, what: '100 older entries' });
  await older.click();
  await waitFor(async () => (await entries.count()) === 130, { timeoutMs: 10_000, what: 'the last 5 entries' });
  assert.equal(await older.isVisible(), false, 'no button once every entry is shown');
  const shown = await page.locator('#acct-entries tr td:nth-child(3)').allTextContents();
  assert.deepEqual(shown, hours.map((i) => `nvidia/nv-778-${129 - i}`));
  assert.deepEqual(consoleErrors, []);
});
