import AxeBuilder from '@axe-core/playwright';
import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { closeWithoutCopying, createAdmin, ownerApiToken, signIn, unique } from './helpers';
import { longName } from './portal-pages';

// Registry names are letters and digits only: unique() gives `<prefix><base36><digits>`.
const regName = (prefix: string) => unique(prefix).slice(0, 40);

/** The REST API as the Owner, to set up what a test does not exercise through the UI. */
async function ownerApi(request: APIRequestContext) {
  const headers = { Authorization: `Bearer ${await ownerApiToken(request)}` };
  return {
    async cloud(name: string) {
      const res = await request.post('/api/v1/registries', {
        headers,
        data: { name, loginServer: `${name.toLowerCase()}.azurecr.io`, region: 'westus2' },
      });
      expect(res.status()).toBe(201);
    },
    async connected(registry: string, name: string, parent: string | null, mode: 'ReadWrite' | 'ReadOnly' = 'ReadWrite') {
      const res = await request.post(`/api/v1/registries/${registry}/connected-registries`, {
        headers,
        data: { name, parent, mode, loginServer: `${name.toLowerCase()}.factory.local:8080`, repositories: ['library/hello-world'] },
      });
      expect(res.status(), await res.text()).toBe(201);
    },
    get: (path: string) => request.get(`/api/v1${path}`, { headers }),
    delete: (path: string) => request.delete(`/api/v1${path}`, { headers }),
  };
}

/** After a successful create: the one-time connection string dialog, closed as the admin would. */
async function closeConnectionString(page: Page, name: string) {
  const dialog = page.getByRole('dialog', { name: `Created ${name}: deploy it with this connection string` });
  await expect(dialog.getByTestId('revealed-connection-string')).toContainText(`ConnectedRegistryName=${name};`);
  await closeWithoutCopying(page);
}

const treeitem = (page: Page, name: string) => page.getByRole('tree').getByRole('treeitem', { name, exact: true });

async function fillNewConnectedRegistry(page: Page, name: string, extra?: () => Promise<void>) {
  await expect(page.getByRole('heading', { name: 'New connected registry' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Login server', { exact: true }).fill(`${name.toLowerCase()}.factory.local:8080`);
  await page.getByLabel('Repositories').fill('library/hello-world\nacme/web-api');
  await extra?.();
  await page.getByRole('button', { name: 'Create connected registry' }).click();
}

test('an admin builds a three-level hierarchy in the UI and sees it in the tree', async ({ page }) => {
  const cloud = regName('cloud');
  const [a, b, c] = [regName('alpha'), regName('bravo'), regName('charlie')];

  await page.goto('/hierarchy');
  const form = page.getByRole('form', { name: 'Add a cloud registry' });
  // the form is on the page when there is no cloud registry yet, else behind the header button
  if (!(await form.isVisible())) await page.getByRole('button', { name: 'Add cloud registry' }).click();
  // cheap checks run as the user types
  await form.getByLabel('Name').fill('1cloud');
  await expect(form.getByText('Use 5–50 letters and digits, starting with a letter.')).toBeVisible();
  await form.getByLabel('Name').fill(cloud);
  await expect(form.getByText('Use 5–50 letters and digits, starting with a letter.')).toHaveCount(0);
  await form.getByLabel('Login server', { exact: true }).fill(`${cloud.toLowerCase()}.azurecr.io`);
  await form.getByLabel('Region').fill('westus2');
  // the data endpoint's default is shown while it is left empty
  await expect(form.getByText(`${cloud.toLowerCase()}.westus2.data.azurecr.io`)).toBeVisible();
  await form.getByRole('button', { name: 'Add cloud registry' }).click();
  // the action, then the navigation to the new registry's page: on a loaded machine both have
  // been seen to take longer than expect's usual 10 s (a passing test never waits for this)
  await expect(page).toHaveURL(new RegExp(`/hierarchy\\?registry=${cloud}$`), { timeout: 60_000 });
  await expect(treeitem(page, cloud)).toBeVisible();

  // A under the cloud registry
  await page.getByRole('link', { name: 'New connected registry' }).click();
  await fillNewConnectedRegistry(page, a);
  await closeConnectionString(page, a);
  await expect(page.getByRole('heading', { name: a })).toBeVisible();
  await expect(page.getByText(`Created ${a}, with its sync token ${a}-sync-token`)).toBeVisible();

  // B under A, through A's "Add child"
  await page.getByRole('link', { name: 'Add child' }).click();
  await expect(page.getByLabel('Parent', { exact: true })).toHaveValue(a);
  await fillNewConnectedRegistry(page, b);
  await closeConnectionString(page, b);
  await expect(page.getByRole('heading', { name: b })).toBeVisible();

  // C under B, syncing every two hours: the schedule is shown in words and needs a window
  await page.getByRole('link', { name: 'Add child' }).click();
  await expect(page.getByLabel('Parent', { exact: true })).toHaveValue(b);
  await fillNewConnectedRegistry(page, c, async () => {
    await page.getByLabel('Sync schedule (cron)').fill('0 */2 * * *');
    await expect(page.getByText('every 2 hours')).toBeVisible();
    await page.getByLabel('Sync window').fill('PT1H');
  });
  await closeConnectionString(page, c);
  await expect(page.getByRole('heading', { name: c })).toBeVisible();
  // the breadcrumb is the path from the top
  for (const ancestor of [a, b])
    await expect(page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link', { name: ancestor })).toBeVisible();

  await page.goto(`/hierarchy?registry=${cloud}`);
  await expect(treeitem(page, a)).toHaveAttribute('aria-level', '2');
  await expect(treeitem(page, b)).toHaveAttribute('aria-level', '3');
  await expect(treeitem(page, c)).toHaveAttribute('aria-level', '4');
  // B is inside A's group, C inside B's
  await expect(treeitem(page, a).getByRole('group').getByRole('treeitem', { name: b, exact: true })).toBeVisible();
  await expect(treeitem(page, b).getByRole('group').getByRole('treeitem', { name: c, exact: true })).toBeVisible();
  await expect(treeitem(page, c)).not.toHaveAttribute('aria-expanded');
  await expect(treeitem(page, a)).toHaveAttribute('aria-expanded', 'true');
});

test('a ReadWrite registry under a ReadOnly parent is refused with the message, and nothing is created', async ({ page, request }) => {
  const api = await ownerApi(request);
  const cloud = regName('ro');
  const mirror = regName('mirror');
  const refused = regName('writer');
  await api.cloud(cloud);
  await api.connected(cloud, mirror, null, 'ReadOnly');

  await page.goto(`/connected-registries/new?registry=${cloud}&parent=${mirror}`);
  await expect(page.getByLabel('Parent', { exact: true })).toHaveValue(mirror);
  // a ReadOnly parent presets ReadOnly; the user insists on ReadWrite
  await expect(page.getByRole('radio', { name: /ReadOnly/ })).toBeChecked();
  await fillNewConnectedRegistry(page, refused, async () => {
    await page.getByRole('radio', { name: /ReadWrite/ }).check();
  });
  const message = 'A ReadOnly registry can only have ReadOnly children: choose ReadOnly, or another parent.';
  // the message is next to the mode, once (the form's banner does not repeat it), and what the
  // user typed is still there
  await expect(page.locator('#mode-error')).toHaveText(message);
  await expect(page.getByText(message)).toHaveCount(1);
  await expect(page.getByLabel('Name', { exact: true })).toHaveValue(refused);
  await expect(page.getByLabel('Repositories')).toHaveValue('library/hello-world\nacme/web-api');
  await expect(page).toHaveURL(/\/connected-registries\/new/);

  expect((await api.get(`/registries/${cloud}/connected-registries/${refused}`)).status()).toBe(404);
  const list = await (await api.get(`/registries/${cloud}/connected-registries`)).json();
  expect(list.items.map((r: { name: string }) => r.name)).toEqual([mirror]);
  expect((await api.get(`/registries/${cloud}/tokens/${refused}-sync-token`)).status()).toBe(404);
});

test('the tree is navigated with the keyboard and filtered by the search box', async ({ page, request }) => {
  const api = await ownerApi(request);
  const cloud = regName('keys');
  const alpha = regName('alpha');
  const alphaChild = regName('amber');
  const deep = regName('anvil');
  const bravo = regName('bravo');
  await api.cloud(cloud);
  await api.connected(cloud, alpha, null);
  await api.connected(cloud, alphaChild, alpha);
  await api.connected(cloud, deep, alphaChild);
  await api.connected(cloud, bravo, null);

  await page.goto(`/hierarchy?registry=${cloud}`);
  const tree = page.getByRole('tree', { name: `Hierarchy of ${cloud}` });
  await expect(tree).toBeVisible();
  // one tab stop: the root
  await expect(tree.locator('[role=treeitem][tabindex="0"]')).toHaveCount(1);
  await treeitem(page, cloud).focus();

  await page.keyboard.press('ArrowDown');
  await expect(treeitem(page, alpha)).toBeFocused();
  await expect(treeitem(page, alpha)).toHaveAttribute('tabindex', '0');
  await expect(treeitem(page, cloud)).toHaveAttribute('tabindex', '-1');

  // ArrowLeft collapses an open node, ArrowRight opens it, then enters it
  await page.keyboard.press('ArrowLeft');
  await expect(treeitem(page, alpha)).toHaveAttribute('aria-expanded', 'false');
  await expect(treeitem(page, alphaChild)).toHaveCount(0);
  await page.keyboard.press('ArrowRight');
  await expect(treeitem(page, alpha)).toHaveAttribute('aria-expanded', 'true');
  await page.keyboard.press('ArrowRight');
  await expect(treeitem(page, alphaChild)).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await expect(treeitem(page, deep)).toBeFocused();
  // ArrowLeft on a leaf goes to its parent
  await page.keyboard.press('ArrowLeft');
  await expect(treeitem(page, alphaChild)).toBeFocused();

  await page.keyboard.press('End');
  await expect(treeitem(page, bravo)).toBeFocused();
  await page.keyboard.press('Home');
  await expect(treeitem(page, cloud)).toBeFocused();

  // Enter selects and opens the details
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await expect(treeitem(page, bravo)).toHaveAttribute('aria-selected', 'true');
  const details = page.getByRole('region', { name: `Details of ${bravo}` });
  await expect(details).toBeVisible();
  await expect(details.getByRole('link', { name: 'Open' })).toHaveAttribute('href', `/connected-registries/${bravo}?registry=${cloud}`);
  await expect(details.getByText('Continuously (every minute)')).toBeVisible();

  // the search lists the matches, each with the path to it (not rows of their own)
  const searchbox = page.getByRole('searchbox', { name: 'Search registries' });
  await searchbox.fill(deep.slice(0, 12));
  await expect(tree).toHaveAttribute('data-query', deep.slice(0, 12).toLowerCase());
  await expect(treeitem(page, deep)).toBeVisible();
  await expect(treeitem(page, deep)).toHaveAttribute('aria-level', '1');
  await expect(treeitem(page, deep)).toHaveAccessibleDescription(new RegExp(`under ${alpha} › ${alphaChild}$`));
  await expect(treeitem(page, alpha)).toHaveCount(0);
  await expect(treeitem(page, bravo)).toHaveCount(0);
  await expect(tree.getByRole('treeitem')).toHaveCount(1);
  // ArrowDown goes from the search box to the match; Enter selects it (the details, the URL)
  await searchbox.press('ArrowDown');
  await expect(treeitem(page, deep)).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByRole('region', { name: `Details of ${deep}` })).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`[?&]node=${deep}(&|$)`));
  // clearing the search shows it in the tree, the way to it open
  await searchbox.fill('');
  await expect(treeitem(page, deep)).toHaveAttribute('aria-selected', 'true');
  await expect(treeitem(page, deep)).toHaveAttribute('aria-level', '4');
  await expect(treeitem(page, alphaChild)).toHaveAttribute('aria-expanded', 'true');
  await searchbox.fill('nothing-is-called-this');
  await expect(page.getByText('No registry name contains “nothing-is-called-this”.')).toBeVisible();
  await searchbox.fill('');
  await expect(treeitem(page, bravo)).toBeVisible();
});

test('a hierarchy of more than 60 registries opens its first level, loads children as a row opens, and searches on the server', async ({
  page,
  request,
}) => {
  test.setTimeout(300_000); // 63 registries made through the API first
  const api = await ownerApi(request);
  const cloud = regName('fleet');
  const hub = regName('hub');
  const other = regName('other');
  const deep = regName('deep');
  const leaves = Array.from({ length: 60 }, (_, i) => `leaf${String(i).padStart(2, '0')}${regName('x').slice(0, 20)}`);
  await api.cloud(cloud);
  await api.connected(cloud, hub, null);
  await api.connected(cloud, other, null);
  for (const leaf of leaves) await api.connected(cloud, leaf, hub);
  await api.connected(cloud, deep, leaves[0]);

  await page.goto(`/hierarchy?registry=${cloud}`);
  const tree = page.getByRole('tree', { name: `Hierarchy of ${cloud}` });
  // too big to open whole: the first level only, its rows closed
  await expect(treeitem(page, hub)).toHaveAttribute('aria-expanded', 'false');
  await expect(treeitem(page, other)).toBeVisible();
  await expect(tree.getByRole('treeitem')).toHaveCount(3);
  await expect(page.getByText('63 connected registries')).toBeVisible();
  // a row's children come from the server as it opens
  await treeitem(page, hub).click();
  await page.keyboard.press('ArrowRight');
  await expect(treeitem(page, hub)).toHaveAttribute('aria-expanded', 'true');
  await expect(treeitem(page, leaves[59])).toHaveAttribute('aria-setsize', '60');
  await expect(treeitem(page, leaves[0])).toHaveAttribute('aria-expanded', 'false');
  await expect(treeitem(page, deep)).toHaveCount(0);
  // "Expand all" opens the rows shown, and says that the whole hierarchy is too big for it
  await page.getByRole('button', { name: 'Expand all' }).click();
  await expect(treeitem(page, deep)).toBeVisible();
  await expect(page.getByText('63 registries are too many to open at once')).toBeVisible();

  // the search runs on the server: the match, the path to it, how many matched
  await page.getByRole('searchbox', { name: 'Search registries' }).fill(deep);
  await expect(page.getByTestId('tree-search-count')).toHaveText(`1 registry matches “${deep.toLowerCase()}”`);
  await expect(treeitem(page, deep)).toBeVisible();
  await expect(treeitem(page, deep)).toHaveAccessibleDescription(new RegExp(`under ${hub} › ${leaves[0]}$`));
  await expect(treeitem(page, leaves[0])).toHaveCount(0);
  await expect(treeitem(page, other)).toHaveCount(0);
  // more matches than it shows: the first 50, and how many there are
  await page.getByRole('searchbox', { name: 'Search registries' }).fill('leaf');
  await expect(page.getByTestId('tree-search-count')).toHaveText('60 registries match “leaf”');
  await expect(page.getByText('Showing the first 50 of 60 matches.')).toBeVisible();
  await expect(tree.getByRole('treeitem')).toHaveCount(50);
  await expect(treeitem(page, leaves[0])).toHaveAccessibleDescription(new RegExp(`under ${hub}$`));

  // a link to a registry deep down opens the levels down to it, selected, with its details
  await page.goto(`/hierarchy?registry=${cloud}&node=${deep.toUpperCase()}`);
  await expect(treeitem(page, deep)).toHaveAttribute('aria-selected', 'true');
  await expect(treeitem(page, hub)).toHaveAttribute('aria-expanded', 'true');
  await expect(treeitem(page, leaves[1])).toBeVisible();
  await expect(page.getByRole('region', { name: `Details of ${deep}` })).toBeVisible();
});

test('deleting a leaf updates the tree; a registry with children is refused', async ({ page, request }) => {
  test.setTimeout(120_000); // many steps: room for a loaded machine
  const api = await ownerApi(request);
  const cloud = regName('del');
  const parent = regName('plant');
  const leaf = regName('line');
  const other = regName('lathe');
  await api.cloud(cloud);
  await api.connected(cloud, parent, null);
  await api.connected(cloud, leaf, parent);
  await api.connected(cloud, other, parent);

  // the parent cannot go while it has children: the dialog says so and offers no delete
  await page.goto(`/connected-registries/${parent}?registry=${cloud}`);
  await page.getByRole('button', { name: 'Delete' }).click();
  const dialog = page.getByRole('dialog', { name: `${parent} cannot be deleted yet` });
  await expect(dialog).toContainText('It still has 2 connected registries under it.');
  await expect(dialog.getByRole('button', { name: /delete/i })).toHaveCount(0);
  await page.keyboard.press('Escape');
  await expect(dialog).toHaveCount(0);

  // select the leaf in the tree, open it, delete it
  await page.goto(`/hierarchy?registry=${cloud}`);
  await treeitem(page, leaf).click();
  await page
    .getByRole('region', { name: `Details of ${leaf}` })
    .getByRole('link', { name: 'Open' })
    .click();
  await expect(page.getByRole('heading', { name: leaf })).toBeVisible();
  await page.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('dialog', { name: `Delete ${leaf}?` });
  // the confirmation names what goes and what changes
  await expect(confirm).toContainText(`${leaf}-sync-token`);
  await expect(confirm).toContainText(`${leaf}-scope-map`);
  await expect(confirm).toContainText(`${parent}-scope-map`);
  await confirm.getByRole('button', { name: `Delete ${leaf}` }).click();

  await expect(page).toHaveURL(new RegExp(`/hierarchy\\?registry=${cloud}&deleted=${leaf}`));
  await expect(page.getByText(`Deleted ${leaf}, with its sync token and sync scope map.`)).toBeVisible();
  await expect(treeitem(page, leaf)).toHaveCount(0);
  await expect(treeitem(page, other)).toBeVisible();
  expect((await api.get(`/registries/${cloud}/tokens/${leaf}-sync-token`)).status()).toBe(404);
  const parentScopeMap = await (await api.get(`/registries/${cloud}/scope-maps/${parent}-scope-map`)).json();
  expect(parentScopeMap.actions.some((a: string) => a.startsWith(`gateway/${leaf.toLowerCase()}/`))).toBe(false);

  // status is live: a registry deleted elsewhere leaves the open tree without a reload
  expect((await api.delete(`/registries/${cloud}/connected-registries/${other}`)).status()).toBe(204);
  await expect(treeitem(page, other)).toHaveCount(0, { timeout: 20_000 });
  await expect(treeitem(page, parent)).not.toHaveAttribute('aria-expanded');
});

test('a Reader sees the hierarchy and a registry but no controls that change them', async ({ browser, request }) => {
  const api = await ownerApi(request);
  const cloud = regName('read');
  const site = regName('site');
  await api.cloud(cloud);
  await api.connected(cloud, site, null);
  const reader = await createAdmin(request, 'Reader');
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, reader.email, reader.password);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();

  await page.goto(`/hierarchy?registry=${cloud}`);
  await treeitem(page, site).click();
  const details = page.getByRole('region', { name: `Details of ${site}` });
  await expect(details.getByRole('link', { name: 'Open' })).toBeVisible();
  await expect(details.getByRole('link', { name: 'Add child' })).toHaveCount(0);
  await expect(details.getByRole('button', { name: 'Deactivate' })).toHaveCount(0);
  await expect(page.getByRole('link', { name: 'New connected registry' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add cloud registry' })).toHaveCount(0);

  await page.goto(`/connected-registries/${site}?registry=${cloud}`);
  await expect(page.getByRole('heading', { name: site })).toBeVisible();
  await expect(page.getByText('library/hello-world')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Save sync settings' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: /^Remove/ })).toHaveCount(0);

  await page.goto(`/connected-registries/new?registry=${cloud}`);
  await expect(page.getByRole('heading', { name: 'Only Contributors and Owners add connected registries' })).toBeVisible();
  await context.close();
});

test('an unknown connected registry shows the not-found page', async ({ page, request }) => {
  const api = await ownerApi(request);
  const cloud = regName('miss');
  await api.cloud(cloud);
  await page.goto(`/connected-registries/nosuchregistry?registry=${cloud}`);
  await expect(page.getByRole('heading', { name: 'No such connected registry' })).toBeVisible();
});

test.describe('a search in a deep hierarchy', () => {
  // axe is injected into the page, which the Content-Security-Policy forbids
  test.use({ bypassCSP: true });

  test('lists each match once with its path shortened in the middle, and passes axe in both themes', async ({ page, request }) => {
    test.setTimeout(180_000);
    const api = await ownerApi(request);
    // the longest names the rules allow, six levels deep, so that the path must be shortened
    const cloud = longName('deepcloud', 50);
    const path = ['region', 'country', 'city', 'site', 'plant'].map((level) => longName(level, 50));
    const match = longName('matchline', 50);
    const near = longName('matchtop', 50);
    await api.cloud(cloud);
    let parent: string | null = null;
    for (const name of path) {
      await api.connected(cloud, name, parent);
      parent = name;
    }
    await api.connected(cloud, match, parent, 'ReadOnly');
    await api.connected(cloud, near, null);

    // each theme from the page's start: axe must see the colours as they end, not halfway through a transition
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.goto(`/hierarchy?registry=${cloud}`);
      await expect(page.locator('html')).toHaveCSS('color-scheme', colorScheme);
      const tree = page.getByRole('tree', { name: `Hierarchy of ${cloud}` });
      await expect(tree).toBeVisible();
      await page.getByRole('searchbox', { name: 'Search registries' }).fill('match');
      await expect(tree).toHaveAttribute('data-query', 'match');
      await expect(page.getByTestId('tree-search-count')).toHaveText('2 registries match “match”');
      await expect(tree.getByRole('treeitem')).toHaveCount(2);
      // the whole path for screen readers and on hover; on screen its top, an ellipsis and the two nearest
      const row = treeitem(page, match);
      await expect(row).toHaveAccessibleDescription(new RegExp(`under ${path.join(' › ')}$`));
      const crumb = row.locator(`[id$="-path"]`);
      await expect(crumb).toHaveAttribute('title', `Under ${path.join(' › ')}`);
      await expect(crumb.locator(':scope > [aria-hidden]')).toHaveText(['under', path[0], '›', '…', '›', path[3], '›', path[4]]);
      await expect(treeitem(page, near)).toHaveAccessibleDescription(new RegExp(`under ${cloud}, the cloud registry$`));
      const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
      expect(
        violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(' | ')}`),
        `axe on the search results (${colorScheme})`,
      ).toEqual([]);
    }
  });
});
