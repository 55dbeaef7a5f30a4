// `npm run screenshots [-- --build]`: the README's pictures of the portal. Starts the production
// server as `npm start` does on a scratch embedded database (a temporary folder, removed after),
// makes a small demo fleet through the REST API and the gateway (as an edge would report), signs
// in with Chromium at 1280 × 800 and writes docs/screenshots/<page>-<light|dark>.png: each page in
// the light theme and in the dark one (a browser with a dark system setting, which the portal
// follows). Not part of the test suite; it changes nothing in the tree but those files.
// --build runs `next build` first (otherwise an existing build is used, and made when missing).
import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import sharp from 'sharp';
import { freePort } from '@/lib/free-port';
import { apiClient, benchAdmin, startCanopy } from './bench/server';
import { CHROMIUM_ARGS } from './chromium-args';

const OUT = join('docs', 'screenshots');
const CLOUD = 'contoso';
const VIEWPORT = { width: 1280, height: 800 };
const log = (line: string) => console.log(`screenshots: ${line}`);

type Call = Awaited<ReturnType<typeof apiClient>>;
type Created = { name: string; connectionString: string };

/** Plays an edge for one registry: its first config fetch activates it, then it reports status and a sync run. */
async function reportAsEdge(url: string, created: Created, state: 'Online' | 'Syncing') {
  const password = /SyncTokenPassword=([^;]+)/.exec(created.connectionString)![1];
  const headers = {
    authorization: `Basic ${Buffer.from(`${created.name}-sync-token:${password}`).toString('base64')}`,
    'x-connected-registry-instance': `demo-${created.name}`,
    'content-type': 'application/json',
  };
  const base = `${url}/gateway/v1/registries/${CLOUD}/connected-registries/${created.name}`;
  const ok = async (res: Response, what: string) => {
    if (!res.ok) throw new Error(`${what} of ${created.name}: ${res.status} ${await res.text()}`);
  };
  await ok(await fetch(`${base}/config`, { headers }), 'config');
  const endedAt = new Date(Date.now() - 4 * 60_000).toISOString();
  const run = {
    id: `demo-${created.name}-1`,
    trigger: 'schedule',
    status: 'Succeeded',
    startedAt: new Date(Date.now() - 5 * 60_000).toISOString(),
    endedAt,
    repositories: [{ name: 'app/web', down: { tags: 4, blobs: 9, bytes: 48_000_000 } }],
  };
  await ok(await fetch(`${base}/sync-runs`, { method: 'POST', headers, body: JSON.stringify(run) }), 'sync run');
  const status = { connectionState: state, version: '1.0.0', lastSyncTime: endedAt };
  await ok(await fetch(`${base}/status`, { method: 'POST', headers, body: JSON.stringify(status) }), 'status');
}

/** A cloud registry with a small hierarchy (some reporting, one never deployed), tokens and a scope map. */
async function makeDemoFleet(url: string, call: Call) {
  await call('POST', '/api/v1/registries', { name: CLOUD, loginServer: 'contoso.azurecr.io', region: 'westus2' });
  const R = `/api/v1/registries/${CLOUD}`;
  await call('POST', `${R}/scope-maps`, {
    name: 'pos-pull',
    description: 'Point-of-sale terminals pull the store images',
    actions: ['repositories/app/web/content/read', 'repositories/app/web/metadata/read', 'repositories/app/pos/content/read'],
  });
  for (const name of ['pos-terminal-a', 'pos-terminal-b']) await call('POST', `${R}/tokens`, { name, scopeMap: 'pos-pull' });
  await call('POST', `${R}/tokens`, { name: 'ci-pipeline', scopeMap: '_repositories_push' });
  const registry = (name: string, parent: string | null, mode: 'ReadWrite' | 'ReadOnly', loginServer: string, extra = {}) =>
    call<Created>('POST', `${R}/connected-registries`, {
      name,
      parent,
      mode,
      loginServer,
      repositories: ['app/web', 'app/pos'],
      ...extra,
    });
  const factory = await registry('factory01', null, 'ReadWrite', 'registry.factory01.local:5000');
  const line1 = await registry('line01', 'factory01', 'ReadOnly', 'line01.factory01.local:5000', { clientTokens: ['pos-terminal-a'] });
  await registry('line02', 'factory01', 'ReadOnly', 'line02.factory01.local:5000');
  const store = await registry('store042', null, 'ReadOnly', 'registry.store042.local:5000', { clientTokens: ['pos-terminal-b'] });
  await registry('store043', null, 'ReadOnly', 'registry.store043.local:5000');
  await reportAsEdge(url, factory, 'Online');
  await reportAsEdge(url, line1, 'Online');
  await reportAsEdge(url, store, 'Syncing');
}

async function signIn(page: Page, url: string) {
  await page.goto(`${url}/sign-in`);
  await page.getByLabel('Email').fill(benchAdmin.email);
  await page.getByLabel('Password').fill(benchAdmin.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { level: 1, name: 'Overview' }).waitFor();
}

/** Whether the portal answers a dark system setting (its page background changes). */
async function followsDarkMode(browser: Browser, url: string): Promise<boolean> {
  const background = async (colorScheme: 'light' | 'dark') => {
    const context = await browser.newContext({ colorScheme });
    const page = await context.newPage();
    await page.goto(`${url}/sign-in`);
    const color = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    await context.close();
    return color;
  };
  return (await background('light')) !== (await background('dark'));
}

/**
 * Takes the picture once the page is whole: no loading skeleton left, the web fonts in, and `ready`
 * (what the page shows last) in sight. It waits on elements, never on a time or on network silence
 * (the live pages poll: on a loaded machine the network is never idle for long).
 */
async function shoot(page: Page, file: string, ready: Locator) {
  await ready.waitFor();
  await page.getByTestId('page-skeleton').waitFor({ state: 'detached' });
  await page.evaluate(() => document.fonts.ready.then(() => undefined));
  // no caret or half-finished transition in a picture: Playwright ends finite animations, hides the caret
  const shot = await page.screenshot({ animations: 'disabled', caret: 'hide' });
  // Chromium compresses its PNGs lightly: the same pixels, recompressed, take about a third
  const png = await sharp(shot).png({ compressionLevel: 9, effort: 10 }).toBuffer();
  writeFileSync(join(OUT, file), png);
  log(`${join(OUT, file)} (${Math.round(png.length / 1024)} KB)`);
}

async function takeShots(browser: Browser, url: string, mode: 'light' | 'dark') {
  const context = await browser.newContext({ viewport: VIEWPORT, colorScheme: mode, deviceScaleFactor: 1 });
  const page = await context.newPage();
  // a loaded machine renders slowly; nothing here is timed
  page.setDefaultTimeout(180_000);
  await signIn(page, url);
  await shoot(page, `overview-${mode}.png`, page.getByTestId('count-sync-stale'));

  await page.goto(`${url}/hierarchy?registry=${CLOUD}`);
  await page.getByRole('tree').getByRole('treeitem', { name: 'line01', exact: true }).click();
  // the panel shows what it read of the registry, not its placeholders
  await shoot(
    page,
    `hierarchy-${mode}.png`,
    page.getByRole('region', { name: 'Details of line01' }).getByText('line01.factory01.local:5000'),
  );

  await page.goto(`${url}/connected-registries/factory01?registry=${CLOUD}`);
  await page.getByRole('heading', { level: 1, name: 'factory01' }).waitFor();
  await shoot(page, `registry-${mode}.png`, page.getByTestId('sync-run').first());

  await page.goto(`${url}/tokens?registry=${CLOUD}`);
  await shoot(page, `tokens-${mode}.png`, page.getByRole('link', { name: 'pos-terminal-a', exact: true }));

  // the one-time reveal: a new token's two passwords, shown once
  await page.goto(`${url}/tokens/new?registry=${CLOUD}`);
  await page.getByLabel('Name', { exact: true }).fill(`kiosk-${mode}`);
  await page.getByLabel('Scope map', { exact: true }).selectOption('pos-pull');
  await page.getByRole('button', { name: 'Create token' }).click();
  await shoot(page, `reveal-${mode}.png`, page.getByRole('dialog').getByTestId('revealed-password').nth(1));
  await context.close();
}

async function main() {
  // always a scratch database: never the demo fleet in a database DATABASE_URL names
  delete process.env.DATABASE_URL;
  if (process.argv.includes('--build')) {
    const build = spawnSync('npx', ['next', 'build'], { stdio: 'inherit', env: { ...process.env, NODE_ENV: 'production' } });
    if (build.status !== 0) throw new Error('next build failed');
  }
  mkdirSync(OUT, { recursive: true });
  const port = await freePort();
  log(`starting Canopy on port ${port} with a scratch database…`);
  const canopy = await startCanopy(port);
  let browser: Browser | undefined;
  try {
    const call = await apiClient(canopy.url);
    await makeDemoFleet(canopy.url, call);
    browser = await chromium.launch({
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: [...CHROMIUM_ARGS, '--hide-scrollbars'],
    });
    await takeShots(browser, canopy.url, 'light');
    // a dark picture of a page that stayed light would be a light picture under a wrong name
    if (!(await followsDarkMode(browser, canopy.url))) throw new Error('the portal did not follow a dark system setting');
    await takeShots(browser, canopy.url, 'dark');
  } finally {
    await browser?.close();
    await canopy.stop();
    // a server that outlives SIGTERM is ended for good: the run leaves no process behind
    const ended = await Promise.race([
      canopy.exited.then(() => true),
      new Promise<false>((r) => setTimeout(() => r(false), 30_000).unref()),
    ]);
    if (!ended) process.kill(-canopy.pid, 'SIGKILL');
  }
}

main().catch((error) => {
  console.error('screenshots: failed', error);
  process.exit(1);
});
