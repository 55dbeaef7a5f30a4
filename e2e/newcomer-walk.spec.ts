import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { ownerRestApi, registryName, unique } from './helpers';

// What a newcomer administrator found walking every page at 1280 px (issue 15): each fix, held.

const cloud = registryName('walk');

test.beforeAll(async ({ request }) => {
  const api = await ownerRestApi(request);
  await api.cloud(cloud);
  await api.connected(cloud, registryName('walkedge'), null);
  await api.scopeMap(cloud, 'walk-reads', ['repositories/library/hello-world/content/read']);
});

test.beforeEach(() => test.slow());

/** axe's colour-contrast check on `selector` (the CSP forbids injecting axe: the context bypasses it). */
async function expectReadable(page: Page, selector: string, what: string) {
  const { violations } = await new AxeBuilder({ page }).include(selector).withRules(['color-contrast']).analyze();
  expect(
    violations.flatMap((v) => v.nodes.map((n) => `${n.target.join(' ')}: ${n.failureSummary}`)),
    `colour contrast of ${what}`,
  ).toEqual([]);
}

test('in dark mode the Overview’s tiles and sync card are dark with readable text, and the Cloud registries tile opens that list', async ({
  browser,
}) => {
  const context = await browser.newContext({ bypassCSP: true, colorScheme: 'dark', storageState: 'e2e/.auth/owner.json' });
  const page = await context.newPage();
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await expect(page.locator('html')).toHaveCSS('color-scheme', 'dark');
  // the tiles were white cards with white numbers on them
  const tile = page.getByRole('link', { name: /^Cloud registries \d+$/ });
  await expect(tile).toBeVisible();
  await expect(page.getByTestId('count-sync-stale')).toBeVisible();
  await expectReadable(page, 'main', 'the Overview');
  await tile.click();
  await expect(page).toHaveURL(/\/cloud-registries$/);
  await expect(page.getByRole('heading', { level: 1, name: 'Cloud registries' })).toBeVisible();
  await context.close();
});

test('in dark mode the one-time reveal of a new token’s passwords names its slots readably', async ({ browser }) => {
  const context = await browser.newContext({ bypassCSP: true, colorScheme: 'dark', storageState: 'e2e/.auth/owner.json' });
  const page = await context.newPage();
  await page.goto(`/tokens/new?registry=${cloud}`);
  await expect(page.getByRole('heading', { level: 1, name: 'New client token' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(unique('walk-'));
  await page.getByLabel('Scope map', { exact: true }).selectOption('walk-reads');
  await page.getByRole('button', { name: 'Create token' }).click();
  const reveal = page.getByRole('dialog');
  await expect(reveal.getByTestId('revealed-password')).toHaveCount(2);
  // the slot names were slate-900 on the dark dialog: there, but unreadable
  await expect(reveal.getByRole('heading', { name: 'password1' })).toBeVisible();
  await expectReadable(page, '[role="dialog"]', 'the reveal dialog');
  await context.close();
});

test('at 1280 px the Cloud registries, Connected registries and Tokens tables fit their box with the longest names, their row actions in sight', async ({
  page,
  request,
}) => {
  const api = await ownerRestApi(request);
  // the longest names the rules allow, on purpose: a table that fits them fits every other
  const longCloud = `W${unique('widecloud')}`.padEnd(50, 'W');
  const longEdge = `E${unique('wideedge')}`.padEnd(50, 'E');
  const longMap = `M-${unique('wide')}`.padEnd(60, 'M');
  const longToken = `T-${unique('wide')}`.padEnd(50, 'T');
  await api.cloud(longCloud);
  await api.connected(longCloud, longEdge, null);
  await api.scopeMap(longCloud, longMap, ['repositories/library/hello-world/content/read']);
  await api.token(longCloud, longToken, longMap);
  await page.setViewportSize({ width: 1280, height: 800 });

  const expectFits = async (table: string, row: string, action: string | null) => {
    const box = page.getByRole('region', { name: table });
    await expect(box).toBeVisible();
    // the table scrolled sideways inside its box, its actions cut off at the right
    const { scrollWidth, clientWidth } = await box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth, `${table}: table width ${scrollWidth} in a box of ${clientWidth}`).toBeLessThanOrEqual(clientWidth);
    if (action)
      await expect(box.getByRole('row').filter({ hasText: row }).getByRole('button', { name: action })).toBeInViewport({ ratio: 1 });
  };

  await page.goto('/cloud-registries');
  await expect(page.getByRole('heading', { level: 1, name: 'Cloud registries' })).toBeVisible();
  await expectFits('Cloud registries', longCloud, 'Delete');

  await page.goto(`/connected-registries?registry=${longCloud}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Connected registries' })).toBeVisible();
  // its last column, the registry's last activity
  await expect(
    page.getByRole('region', { name: `Connected registries of ${longCloud}` }).getByRole('cell', { name: 'never' }),
  ).toBeInViewport({
    ratio: 1,
  });
  await expectFits(`Connected registries of ${longCloud}`, longEdge, null);

  await page.goto(`/tokens?registry=${longCloud}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Tokens' })).toBeVisible();
  await expectFits(`Tokens of ${longCloud}`, longToken, `Regenerate a password of ${longToken}`);
  await expectFits(`Tokens of ${longCloud}`, longToken, `Disable ${longToken}`);
});
