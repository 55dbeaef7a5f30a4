import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import pg from 'pg';
import type { PageSkeletonShape } from '../components/ui/page-skeleton';
import { lightness, ownerRestApi, registryName } from './helpers';

// Issue 15 item 13: a navigation shows the next page's skeleton at once (the loading.tsx files),
// while every missing detail page stays a real HTTP 404 — a loading boundary above a page that
// calls notFound() would stream its "not found" with status 200, so the skeletons wrap the
// overview, list, form and settings routes only (components/ui/page-skeleton.tsx).

const cloud = registryName('loading');
const edge = registryName('loadedge');

test.beforeAll(async ({ request }) => {
  const api = await ownerRestApi(request);
  await api.cloud(cloud);
  await api.connected(cloud, edge, null);
  await api.scopeMap(cloud, 'loading-reads', ['repositories/library/hello-world/content/read']);
  await api.token(cloud, 'loading-token', 'loading-reads');
});

test.beforeEach(() => test.slow());

test('a missing connected registry, token, scope map, webhook or cloud registry answers a real 404, without a skeleton', async ({
  page,
  request,
}) => {
  const missing: [string, RegExp][] = [
    [`/connected-registries/nosuchedge?registry=${cloud}`, /No such connected registry/],
    [`/tokens/no-such-token?registry=${cloud}`, /Not found/],
    [`/scope-maps/no-such-map?registry=${cloud}`, /Not found/],
    [`/webhooks/no-such-hook?registry=${cloud}`, /Not found/],
    // a cloud registry that does not exist, named in the address of an existing page's name
    [`/tokens/loading-token?registry=nosuchcloud1`, /Not found/],
    [`/connected-registries/${edge}?registry=nosuchcloud1`, /No such connected registry/],
  ];
  for (const [path] of missing) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(404);
    // the first HTML is the page's own 404, not a skeleton streamed before it
    expect(await response.text(), path).not.toContain('data-testid="page-skeleton"');
  }
  for (const [path, heading] of missing) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: heading }), path).toBeVisible();
  }
  // the same pages of things that exist answer 200: the 404s above are about the names alone
  for (const path of [
    `/connected-registries/${edge}?registry=${cloud}`,
    `/tokens/loading-token?registry=${cloud}`,
    `/scope-maps/loading-reads?registry=${cloud}`,
  ]) {
    expect((await request.get(path)).status(), path).toBe(200);
  }
});

type Navigation = {
  /** the page the admin is on */
  from: string;
  fromHeading: string;
  /** the link they click there */
  link: (page: Page) => Locator;
  /** the pathname it leads to, and the next page's heading */
  to: RegExp;
  heading: string;
  shape: PageSkeletonShape;
  /** the table the next page reads first (held while the skeleton is looked at) */
  holds: 'CloudRegistry' | 'AccessToken' | 'AuditEvent';
};

const main = (page: Page) => page.getByRole('navigation', { name: 'Main' });
const nav = (label: string) => (page: Page) => main(page).getByRole('link', { name: label, exact: true });
const inPage = (label: string) => (page: Page) => page.getByRole('main').getByRole('link', { name: label, exact: true });

const navigations = (): Navigation[] => [
  {
    from: '/settings',
    fromHeading: 'Settings',
    link: nav('Overview'),
    to: /^\/$/,
    heading: 'Overview',
    shape: 'overview',
    holds: 'CloudRegistry',
  },
  {
    from: '/',
    fromHeading: 'Overview',
    link: nav('Cloud registries'),
    to: /^\/cloud-registries$/,
    heading: 'Cloud registries',
    shape: 'list',
    holds: 'CloudRegistry',
  },
  {
    from: '/',
    fromHeading: 'Overview',
    link: nav('Hierarchy'),
    to: /^\/hierarchy$/,
    heading: 'Hierarchy',
    shape: 'tree',
    holds: 'CloudRegistry',
  },
  {
    from: '/',
    fromHeading: 'Overview',
    link: nav('Connected registries'),
    to: /^\/connected-registries$/,
    heading: 'Connected registries',
    shape: 'list',
    holds: 'CloudRegistry',
  },
  { from: '/', fromHeading: 'Overview', link: nav('Tokens'), to: /^\/tokens$/, heading: 'Tokens', shape: 'list', holds: 'CloudRegistry' },
  {
    from: '/',
    fromHeading: 'Overview',
    link: nav('Scope maps'),
    to: /^\/scope-maps$/,
    heading: 'Scope maps',
    shape: 'list',
    holds: 'CloudRegistry',
  },
  {
    from: '/',
    fromHeading: 'Overview',
    link: nav('Webhooks'),
    to: /^\/webhooks$/,
    heading: 'Webhooks',
    shape: 'list',
    holds: 'CloudRegistry',
  },
  {
    from: '/',
    fromHeading: 'Overview',
    link: nav('Audit log'),
    to: /^\/audit-log$/,
    heading: 'Audit log',
    shape: 'list',
    holds: 'AuditEvent',
  },
  {
    from: '/',
    fromHeading: 'Overview',
    link: nav('Settings'),
    to: /^\/settings$/,
    heading: 'Settings',
    shape: 'list',
    holds: 'AccessToken',
  },
  {
    from: `/tokens?registry=${cloud}`,
    fromHeading: 'Tokens',
    link: inPage('New token'),
    to: /^\/tokens\/new$/,
    heading: 'New client token',
    shape: 'form',
    holds: 'CloudRegistry',
  },
  {
    from: `/scope-maps?registry=${cloud}`,
    fromHeading: 'Scope maps',
    link: inPage('New scope map'),
    to: /^\/scope-maps\/new$/,
    heading: 'New scope map',
    shape: 'form',
    holds: 'CloudRegistry',
  },
  {
    from: `/connected-registries?registry=${cloud}`,
    fromHeading: 'Connected registries',
    link: inPage('New connected registry'),
    to: /^\/connected-registries\/new$/,
    heading: 'New connected registry',
    shape: 'form',
    holds: 'CloudRegistry',
  },
];

async function expectNoViolations(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page })
    .include('[data-testid="page-skeleton"]')
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  expect(
    violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
    `axe on the skeleton of ${what}`,
  ).toEqual([]);
}

/**
 * The E2E database (scripts/test.mjs and e2e-one scripts name it): the navigation tests hold the
 * next page's data there. The embedded database (PGlite) takes one connection, the server's own.
 */
const databaseUrl = process.env.E2E_DATABASE_URL;

/**
 * Holds every read of `table` until the returned function is called: an ACCESS EXCLUSIVE lock in a
 * transaction of the test's own. The portal's layout reads only AdminUser, so the layout and the
 * route's loading.tsx render while the page itself waits on its first read — however fast or loaded
 * the machine is, the skeleton stays until the test lets the page go (no timing decides it).
 */
async function holdReadsOf(table: string): Promise<() => Promise<void>> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query('BEGIN');
  await client.query(`LOCK TABLE "${table}" IN ACCESS EXCLUSIVE MODE`);
  return async () => {
    try {
      await client.query('ROLLBACK');
    } finally {
      await client.end();
    }
  };
}

/**
 * Follows `n.link` while the next page's first read is held: the skeleton of the right shape shows,
 * announced as loading, and axe finds nothing in it; once the read goes through, the page replaces it.
 */
/**
 * Room for a server on a loaded 2-core machine to answer a navigation (its layout, then the page
 * once released): a wait that a passing test never uses up, never a timing assertion.
 */
const serverRoom = { timeout: 60_000 };

async function expectSkeletonOnNavigation(page: Page, n: Navigation, colorScheme: 'light' | 'dark', axe: boolean) {
  // No prefetch of the next page: its loading state then comes in the navigation's own answer, first,
  // whatever the machine's load. (A prefetch that completed as the link was clicked left the router
  // waiting for the whole page once: the server leaves out the loading state the router says it has.)
  await page.route(
    (url) => n.to.test(url.pathname),
    (route) => (route.request().headers()['next-router-prefetch'] ? route.abort() : route.fallback()),
  );
  await page.goto(n.from);
  await expect(page.getByRole('heading', { level: 1, name: n.fromHeading })).toBeVisible(serverRoom);
  const link = n.link(page);
  await expect(link).toBeVisible();
  const release = await holdReadsOf(n.holds);
  try {
    await link.click();
    const skeleton = page.getByTestId('page-skeleton');
    await expect(skeleton, n.heading).toBeVisible(serverRoom);
    await expect(skeleton).toHaveAttribute('data-shape', n.shape);
    await expect(page.getByRole('status').filter({ hasText: 'Loading…' })).toBeAttached();
    await expect(page.getByRole('heading', { level: 1, name: n.heading })).toHaveCount(0);
    // the skeleton's card and bars follow the theme: a light card with grey bars, or a dark card
    const card = skeleton.locator('[data-part="card"]').first();
    const cardLightness = lightness(await card.evaluate((el) => getComputedStyle(el).backgroundColor));
    if (colorScheme === 'light') expect(cardLightness, n.heading).toBeGreaterThan(0.8);
    else expect(cardLightness, n.heading).toBeLessThan(0.4);
    if (axe) await expectNoViolations(page, n.heading);
    // still held: the skeleton was not a glimpse before the page
    await expect(page.getByRole('heading', { level: 1, name: n.heading })).toHaveCount(0);
  } finally {
    await release();
  }
  await expect(page).toHaveURL((url) => n.to.test(url.pathname));
  await expect(page.getByRole('heading', { level: 1, name: n.heading })).toBeVisible(serverRoom);
  await expect(page.getByTestId('page-skeleton')).toHaveCount(0);
}

// one test per route (each with its own time on a loaded machine); axe and the dark theme once per shape
for (const [i, n] of navigations().entries()) {
  const firstOfShape = navigations().findIndex((m) => m.shape === n.shape) === i;
  for (const colorScheme of firstOfShape ? (['light', 'dark'] as const) : (['light'] as const)) {
    test(`navigating to ${n.heading} shows its ${n.shape} skeleton at once${firstOfShape ? `, clean to axe, in ${colorScheme} mode` : ''}`, async ({
      browser,
    }) => {
      test.skip(
        !databaseUrl,
        'holds the next page’s first read in PostgreSQL: needs E2E_DATABASE_URL (npm test sets it with DATABASE_URL)',
      );
      // axe is injected into the page, which the Content-Security-Policy forbids
      const context = await browser.newContext({ bypassCSP: true, colorScheme, storageState: 'e2e/.auth/owner.json' });
      const page = await context.newPage();
      await expectSkeletonOnNavigation(page, n, colorScheme, firstOfShape);
      if (colorScheme === 'dark') await expect(page.locator('html')).toHaveCSS('color-scheme', 'dark');
      await context.close();
    });
  }
}
