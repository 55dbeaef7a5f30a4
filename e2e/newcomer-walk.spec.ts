import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Locator, type Page } from '@playwright/test';
import { createAdmin, owner, ownerApi, ownerRestApi, registryName, unique } from './helpers';

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

test('every page with a cloud-registry picker has the same one: it names each registry with its login server, keeps the page, and is remembered by the next page', async ({
  page,
  context,
  request,
}) => {
  const api = await ownerRestApi(request);
  const [first, second] = [registryName('pickA'), registryName('pickB')];
  await api.cloud(first);
  await api.cloud(second);
  const loginServer = (name: string) => `${name.toLowerCase()}.azurecr.io`;
  const remembered = async () => (await context.cookies()).find((c) => c.name === 'canopy-cloud-registry')?.value;
  const picker = page.getByRole('combobox', { name: 'Cloud registry', exact: true });

  await page.goto(`/tokens?registry=${first}`);
  await expect(picker).toHaveValue(first);
  let current = first;
  const pages: [string, string][] = [
    ['/hierarchy', 'Hierarchy'],
    ['/connected-registries', 'Connected registries'],
    ['/connected-registries/new', 'New connected registry'],
    ['/tokens', 'Tokens'],
    ['/scope-maps', 'Scope maps'],
    ['/webhooks', 'Webhooks'],
  ];
  for (const [path, heading] of pages) {
    // opened without ?registry=, the page shows the one chosen last, on whichever page that was
    await page.goto(path);
    await expect(page.getByRole('heading', { level: 1, name: heading }), path).toBeVisible();
    await expect(picker, path).toHaveValue(current);
    // one control: a visible select whose options say which registry is which
    await expect(picker.locator('option', { hasText: second }), path).toHaveText(`${second} (${loginServer(second)})`);
    await expect(picker.locator('option', { hasText: first }), path).toHaveText(`${first} (${loginServer(first)})`);
    expect(await picker.evaluate((el) => getComputedStyle(el).borderTopStyle), path).toBe('solid');
    // choosing opens the same page for the other registry, in its address, and remembers it
    const next = current === first ? second : first;
    await picker.selectOption(next);
    await expect(page, path).toHaveURL(new RegExp(`${path}\\?registry=${next}$`));
    await expect(picker, path).toHaveValue(next);
    await expect(picker, path).toBeEnabled();
    await expect.poll(remembered, { message: `${path} remembers ${next}` }).toBe(next);
    current = next;
  }
});

test('the tree shows a long login server cut with an ellipsis, the whole of it on hover', async ({ page, request }) => {
  const send = await ownerApi(request);
  const cloud = registryName('longserver');
  // the longest host name the rules allow is 253 characters: labels of 60 under the registry's name
  const loginServer = [cloud.toLowerCase(), 'x'.repeat(60), 'y'.repeat(60), 'z'.repeat(60), 'azurecr', 'io'].join('.');
  expect(loginServer.length).toBeLessThanOrEqual(253);
  await send('POST', '/registries', { name: cloud, loginServer, region: 'westus2' });
  // wide enough for the tree's row of a name this long beside the details panel's column
  await page.setViewportSize({ width: 1600, height: 900 });

  await page.goto(`/hierarchy?registry=${cloud}`);
  const root = page.getByRole('treeitem', { name: cloud, exact: true });
  await expect(root).toBeVisible();
  const server = root.getByTitle(loginServer, { exact: true });
  await expect(server).toHaveText(loginServer);
  await expect(server).toHaveCSS('text-overflow', 'ellipsis');
  // cut: the text is wider than its box, which (ellipsis and all) is in sight
  const cut = await server.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
  expect(cut.scrollWidth, 'the login server is cut').toBeGreaterThan(cut.clientWidth);
  await expect(server).toBeInViewport({ ratio: 1 });
});

const endingWith = (name: string) => new RegExp(`${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`);

test('row actions name their row: Edit and Delete of a cloud registry, Disable of an admin', async ({ page, request }) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('rowname');
  await api.cloud(cloud);
  const admin = await createAdmin(request, 'Reader');

  await page.goto('/cloud-registries');
  const row = page.getByRole('row').filter({ hasText: cloud });
  await expect(row.getByRole('button', { name: `Edit ${cloud}`, exact: true })).toBeVisible();
  await expect(row.getByRole('button', { name: `Delete ${cloud}`, exact: true })).toBeVisible();
  // no button of the row goes without its registry's name
  for (const button of await row.getByRole('button').all()) await expect(button).toHaveAccessibleName(endingWith(cloud));

  await page.goto('/settings/admins');
  const adminRow = page.getByTestId('admin-row').filter({ hasText: admin.email });
  await expect(adminRow.getByRole('button', { name: `Disable ${admin.email}`, exact: true })).toBeVisible();
  for (const button of await adminRow.getByRole('button').all()) await expect(button).toHaveAccessibleName(endingWith(admin.email));
});

test('at 1280 px the Webhooks and API access tokens tables fit their box with the longest names, their last column in sight', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const cloud = registryName('widehooks');
  await send('POST', '/registries', { name: cloud, loginServer: `${cloud.toLowerCase()}.azurecr.io`, region: 'westus2' });
  // the longest names the rules allow, in one unbroken word: webhooks 50 characters, access tokens 64
  const longHook = `H${unique('wide')}`.padEnd(50, 'H');
  const longAccess = `A${unique('wide')}`.padEnd(64, 'A');
  await send('POST', `/registries/${cloud}/webhooks`, { name: longHook, url: 'http://127.0.0.1:9/canopy' });
  const created = await request.post('/api/v1/access-tokens', {
    headers: { Authorization: `Basic ${Buffer.from(`${owner.email}:${owner.password}`).toString('base64')}` },
    data: { name: longAccess },
  });
  expect(created.status()).toBe(201);
  await page.setViewportSize({ width: 1280, height: 800 });

  /** The table does not scroll sideways in its box, and `last` (its row's last cell or action) is inside the box. */
  const expectFits = async (table: string, last: Locator) => {
    const box = page.getByRole('region', { name: table });
    await expect(last).toBeVisible();
    const { scrollWidth, clientWidth } = await box.evaluate((el) => ({ scrollWidth: el.scrollWidth, clientWidth: el.clientWidth }));
    expect(scrollWidth, `${table}: table width ${scrollWidth} in a box of ${clientWidth}`).toBeLessThanOrEqual(clientWidth);
    const [outer, inner] = [await box.boundingBox(), await last.boundingBox()];
    expect(inner!.x + inner!.width, `${table}: its last column inside the box`).toBeLessThanOrEqual(outer!.x + outer!.width);
  };

  await page.goto(`/webhooks?registry=${cloud}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Webhooks' })).toBeVisible();
  const hookRow = page.getByTestId('webhook-row').filter({ hasText: longHook });
  await expectFits(`Webhooks of ${cloud}`, hookRow.getByRole('cell').last());

  await page.goto('/settings');
  await expect(page.getByRole('heading', { level: 1, name: 'Settings' })).toBeVisible();
  const accessRow = page.getByTestId('access-token-row').filter({ hasText: longAccess });
  await expectFits('Your access tokens', accessRow.getByRole('button', { name: `Revoke ${longAccess}`, exact: true }));
});
