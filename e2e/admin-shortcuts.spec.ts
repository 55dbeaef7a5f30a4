import { expect, test } from '@playwright/test';
import { closeWithoutCopying, createAdmin, ownerApi, ownerRestApi, registryName, signIn, unique } from './helpers';

// Issue 15, items 9, 10 and 13: quick actions where admins look, the cloud registry and the tree
// node carried in the URL, icons, and reveals that ask before closing uncopied.

// each test walks several pages on a machine that may be loaded: room for that, never timings
test.beforeEach(() => test.slow());
const firstPaint = { timeout: 30_000 };

test('a one-time reveal asks before closing when nothing was copied, and closes at once after a copy', async ({ page }) => {
  await page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/settings');
  await page.getByLabel('New access token name').fill(`reveal-${Date.now().toString(36)}`);
  await page.getByRole('button', { name: 'Create access token' }).click();
  const reveal = page.getByTestId('one-time-dialog');
  const secret = reveal.getByTestId('revealed-secret');
  await expect(secret).toHaveText(/^cnp_/);
  const ask = page.getByRole('alertdialog', { name: 'Close without copying?' });

  // "I have copied it" without a copy asks; going back keeps the secret on screen
  await reveal.getByRole('button', { name: 'I have copied it' }).click();
  await expect(ask).toBeVisible();
  await expect(ask).toContainText('Canopy shows this access token only this once');
  await ask.getByRole('button', { name: 'Go back' }).click();
  await expect(ask).toHaveCount(0);
  await expect(secret).toBeVisible();
  // so do Escape and the close button
  await page.keyboard.press('Escape');
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Go back' }).click();
  await reveal.getByRole('button', { name: 'Close', exact: true }).click();
  await expect(ask).toBeVisible();
  await ask.getByRole('button', { name: 'Go back' }).click();
  await expect(secret).toBeVisible();

  // after a copy it closes without a question
  const value = (await secret.textContent())!.trim();
  await reveal.getByRole('button', { name: 'Copy' }).click();
  await expect(reveal.getByRole('button', { name: 'Copied', exact: true })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);
  await reveal.getByRole('button', { name: 'I have copied it' }).click();
  await expect(reveal).toHaveCount(0);
  await expect(ask).toHaveCount(0);
});

test('the portal has a favicon, an Apple touch icon and a web manifest, signed out too', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await page.goto('/sign-in');
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  const hrefs = async (selector: string) => page.locator(selector).evaluateAll((links) => links.map((l) => l.getAttribute('href')!));
  const icons = await hrefs('link[rel="icon"]');
  const apple = await hrefs('link[rel="apple-touch-icon"]');
  const manifest = await hrefs('link[rel="manifest"]');
  expect(icons.length).toBeGreaterThan(0);
  expect(apple).toHaveLength(1);
  expect(manifest).toHaveLength(1);
  for (const href of [...icons, ...apple, '/favicon.ico']) {
    const res = await page.request.get(href);
    expect(res.status(), href).toBe(200);
    expect(res.headers()['content-type'], href).toMatch(/^image\//);
  }
  const res = await page.request.get(manifest[0]);
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.name).toBe('Canopy');
  for (const icon of body.icons as { src: string; type: string }[]) {
    const image = await page.request.get(icon.src);
    expect(image.status(), icon.src).toBe(200);
    expect(image.headers()['content-type'], icon.src).toBe(icon.type);
  }
  await context.close();
});

test('the cloud registry a page shows is remembered across pages, and the links and the address carry it', async ({
  page,
  browser,
  request,
}) => {
  const api = await ownerRestApi(request);
  const [first, second] = [registryName('remA'), registryName('remB')];
  await api.cloud(first);
  await api.cloud(second);
  const switcher = page.getByLabel('Cloud registry');

  // the httpOnly cookie earlier versions remembered it in (no script can overwrite that) is dropped
  await page.context().addCookies([{ name: 'canopy-registry', value: first, domain: 'localhost', path: '/', httpOnly: true }]);
  await page.goto(`/tokens?registry=${second}`);
  await expect(switcher).toHaveValue(second);
  expect((await page.context().cookies()).map((c) => c.name)).not.toContain('canopy-registry');
  // the sidebar's links of registry pages carry it
  const nav = page.getByRole('navigation', { name: 'Main' });
  await expect(nav.getByRole('link', { name: 'Scope maps' })).toHaveAttribute('href', `/scope-maps?registry=${second}`);
  await expect(nav.getByRole('link', { name: 'Audit log' })).toHaveAttribute('href', '/audit-log');
  await nav.getByRole('link', { name: 'Scope maps' }).click();
  await expect(page).toHaveURL(new RegExp(`/scope-maps\\?registry=${second}$`));
  await expect(switcher).toHaveValue(second);

  // a page opened without ?registry= shows the remembered one, and puts it into its address
  for (const path of ['/webhooks', '/connected-registries', '/hierarchy']) {
    await page.goto(path);
    await expect(switcher, path).toHaveValue(second);
    await expect(page, path).toHaveURL(new RegExp(`${path}\\?registry=${second}$`));
  }

  // switching remembers the new one, at once: a page opened before the switch has answered shows it
  await switcher.selectOption(first);
  await expect(page).toHaveURL(new RegExp(`/hierarchy\\?registry=${first}$`));
  await page.goto('/tokens');
  await expect(switcher).toHaveValue(first);
  // a page fetched but never shown (a link's prefetch, a stale link of the page before) changes nothing
  const prefetch = await page.request.get(`/scope-maps?registry=${second}`, {
    headers: { rsc: '1', 'next-router-prefetch': '1', 'sec-fetch-dest': 'empty', 'sec-fetch-mode': 'cors' },
  });
  expect(prefetch.status()).toBe(200);
  expect((await page.context().cookies()).find((c) => c.name === 'canopy-cloud-registry')?.value).toBe(first);
  await page.goto('/webhooks');
  await expect(switcher).toHaveValue(first);

  // the address is shared: another admin's browser opens the same registry
  const other = await browser.newContext({ storageState: 'e2e/.auth/owner.json' });
  const shared = await other.newPage();
  await shared.goto(`/scope-maps?registry=${second}`);
  await expect(shared.getByLabel('Cloud registry')).toHaveValue(second);
  await other.close();

  // a remembered registry that is gone is forgotten: the first one shows, no error
  await page.goto(`/tokens?registry=${second}`);
  await expect(switcher).toHaveValue(second);
  await (
    await ownerApi(request)
  )('DELETE', `/registries/${second}`);
  await page.goto('/tokens');
  await expect(page.getByRole('heading', { level: 1, name: 'Tokens' })).toBeVisible();
  await expect(page).toHaveURL(/\/tokens\?registry=/);
  await expect(page).not.toHaveURL(new RegExp(second));
  await expect(page.getByRole('main')).not.toContainText(second);
});

test('selecting a tree node names it in the address (?node=), and that address opens with the node selected', async ({ page, request }) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('nodeurl');
  const [parent, child] = [registryName('upper'), registryName('lower')];
  await api.cloud(cloud);
  await api.connected(cloud, parent, null);
  await api.connected(cloud, child, parent);

  await page.goto(`/hierarchy?registry=${cloud}`);
  const tree = page.getByRole('tree');
  await tree.getByRole('treeitem', { name: child, exact: true }).click();
  await expect(page.getByRole('region', { name: `Details of ${child}` })).toBeVisible(firstPaint);
  await expect(page).toHaveURL(new RegExp(`/hierarchy\\?registry=${cloud}&node=${child}$`));
  const address = page.url();

  // closing the details takes the node out of the address
  await page.getByRole('button', { name: 'Close the details' }).click();
  await expect(page).toHaveURL(new RegExp(`/hierarchy\\?registry=${cloud}$`));

  // the address opens with the node selected and its details shown
  const again = await page.context().newPage();
  await again.goto(address);
  await expect(again.getByRole('region', { name: `Details of ${child}` })).toBeVisible(firstPaint);
  await expect(again.getByRole('tree').getByRole('treeitem', { name: child, exact: true })).toHaveAttribute('aria-selected', 'true');
  // as does an address written by hand in another case, as registry names compare
  await again.goto(`/hierarchy?registry=${cloud}&node=${child.toUpperCase()}`);
  await expect(again.getByRole('region', { name: `Details of ${child}` })).toBeVisible(firstPaint);
  await again.close();
});

test('the details panel disables, enables and rotates a registry, shows its connection string and asks it to sync', async ({
  page,
  request,
}) => {
  const api = await ownerRestApi(request);
  const send = await ownerApi(request);
  const cloud = registryName('panel');
  const edge = registryName('edge');
  await api.cloud(cloud);
  await api.connected(cloud, edge, null);
  const syncToken = `${edge}-sync-token`;

  await page.goto(`/hierarchy?registry=${cloud}&node=${edge}`);
  const panel = page.getByRole('region', { name: `Details of ${edge}` });
  await expect(panel.getByText(syncToken)).toBeVisible(firstPaint);

  // Connection string: without a password
  await panel.getByRole('button', { name: 'Connection string' }).click();
  const shown = page.getByRole('dialog', { name: `Connection string of ${edge}` });
  await expect(shown.getByTestId('connection-string')).toContainText(
    `ConnectedRegistryName=${edge};SyncTokenName=${syncToken};SyncTokenPassword=<`,
  );
  await page.keyboard.press('Escape');
  await expect(shown).toHaveCount(0);

  // Disable, through its sync token, with a confirm step
  await panel.getByRole('button', { name: 'Disable', exact: true }).click();
  const disable = page.getByRole('alertdialog', { name: `Disable ${edge}?` });
  await expect(disable).toContainText(`This disables its sync token ${syncToken}`);
  await disable.getByRole('button', { name: `Disable ${edge}` }).click();
  await expect(disable).toHaveCount(0);
  await expect(panel).toContainText(`${edge} is disabled: it cannot sync.`);
  await expect(panel.getByRole('button', { name: 'Enable', exact: true })).toBeVisible();
  await expect(page.getByRole('tree').getByRole('treeitem', { name: edge, exact: true })).toContainText('disabled');
  expect((await send('GET', `/registries/${cloud}/connected-registries/${edge}`)).disabled).toBe(true);

  // Enable again
  await panel.getByRole('button', { name: 'Enable', exact: true }).click();
  await page
    .getByRole('alertdialog', { name: `Enable ${edge}?` })
    .getByRole('button', { name: `Enable ${edge}` })
    .click();
  await expect(panel.getByRole('button', { name: 'Disable', exact: true })).toBeVisible();
  expect((await send('GET', `/registries/${cloud}/connected-registries/${edge}`)).disabled).toBe(false);

  // Rotate sync credentials: the confirm step, then the connection string with the new password, once
  const before = await send('GET', `/registries/${cloud}/tokens/${syncToken}`);
  await panel.getByRole('button', { name: 'Rotate sync credentials' }).click();
  const rotate = page.getByRole('alertdialog', { name: `Rotate sync credentials of ${edge}?` });
  await expect(rotate.getByRole('radio', { name: 'http', exact: true })).toBeDisabled();
  await rotate.getByRole('radio', { name: 'password2' }).check();
  await rotate.getByRole('button', { name: 'Rotate and show connection string' }).click();
  const revealed = page.getByRole('dialog', { name: `Connection string of ${edge}` }).getByTestId('revealed-connection-string');
  await expect(revealed).toContainText(
    new RegExp(`^ConnectedRegistryName=${edge};SyncTokenName=${syncToken};SyncTokenPassword=[A-Za-z0-9_-]{43};`),
  );
  await expect(page.getByTestId('edge-deploy-command')).toBeVisible();
  await closeWithoutCopying(page);
  const after = await send('GET', `/registries/${cloud}/tokens/${syncToken}`);
  const created = (t: { passwords: { name: string; creationTime: string }[] }, slot: string) =>
    t.passwords.find((p) => p.name === slot)?.creationTime;
  expect(created(after, 'password2')).not.toBe(created(before, 'password2'));
  expect(created(after, 'password1')).toBe(created(before, 'password1'));

  // Sync now
  await panel.getByRole('button', { name: 'Sync now' }).click();
  await expect(panel).toContainText(`Asked ${edge} to sync now`);
});

test('a Reader’s details panel shows the connection string but no action that changes anything', async ({ browser, request }) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('rpanel');
  const edge = registryName('edge');
  await api.cloud(cloud);
  await api.connected(cloud, edge, null);
  const reader = await createAdmin(request, 'Reader');
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, reader.email, reader.password);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.goto(`/hierarchy?registry=${cloud}&node=${edge}`);
  const panel = page.getByRole('region', { name: `Details of ${edge}` });
  await expect(panel.getByRole('button', { name: 'Connection string' })).toBeVisible(firstPaint);
  await panel.getByRole('button', { name: 'Connection string' }).click();
  await expect(page.getByTestId('connection-string')).toContainText(`ConnectedRegistryName=${edge};`);
  await page.keyboard.press('Escape');
  for (const name of ['Disable', 'Enable', 'Rotate sync credentials', 'Sync now', 'Deactivate']) {
    await expect(panel.getByRole('button', { name, exact: true })).toHaveCount(0);
  }
  await context.close();
});

test('the tokens list regenerates a password and disables or enables a token from its row', async ({ page, request }) => {
  const api = await ownerRestApi(request);
  const send = await ownerApi(request);
  const cloud = registryName('rows');
  const edge = registryName('edge');
  const token = unique('rowtoken');
  await api.cloud(cloud);
  await api.connected(cloud, edge, null);
  await api.token(cloud, token, '_repositories_pull');

  await page.goto(`/tokens?registry=${cloud}`);
  const row = page.getByTestId('token-row').filter({ has: page.getByRole('link', { name: token, exact: true }) });

  // Regenerate: a slot is chosen in the confirm step; the new password is shown once
  const before = await send('GET', `/registries/${cloud}/tokens/${token}`);
  await row.getByRole('button', { name: `Regenerate a password of ${token}` }).click();
  await page
    .getByRole('alertdialog')
    .getByRole('radio', { name: /password2/ })
    .check();
  const confirm = page.getByRole('alertdialog', { name: `Regenerate password2 of ${token}?` });
  await expect(confirm).toContainText('The old password in password2 stops working at once.');
  await expect(confirm).toContainText('password1 is not touched and keeps working.');
  await confirm.getByRole('button', { name: 'Regenerate password2' }).click();
  const reveal = page.getByRole('dialog', { name: `New password2 of ${token}` });
  await expect(reveal.getByTestId('revealed-password')).toHaveText(/^[A-Za-z0-9_-]{43}$/);
  await closeWithoutCopying(page);
  const after = await send('GET', `/registries/${cloud}/tokens/${token}`);
  const created = (t: { passwords: { name: string; creationTime: string }[] }, slot: string) =>
    t.passwords.find((p) => p.name === slot)?.creationTime;
  expect(created(after, 'password2')).not.toBe(created(before, 'password2'));
  expect(created(after, 'password1')).toBe(created(before, 'password1'));

  // Disable, then Enable, each with its confirm step
  await row.getByRole('button', { name: `Disable ${token}` }).click();
  await page
    .getByRole('alertdialog', { name: `Disable ${token}?` })
    .getByRole('button', { name: `Disable ${token}` })
    .click();
  await expect(row.getByText('disabled', { exact: true })).toBeVisible();
  expect((await send('GET', `/registries/${cloud}/tokens/${token}`)).status).toBe('disabled');
  await row.getByRole('button', { name: `Enable ${token}` }).click();
  await page
    .getByRole('alertdialog', { name: `Enable ${token}?` })
    .getByRole('button', { name: `Enable ${token}` })
    .click();
  await expect(row.getByText('enabled', { exact: true })).toBeVisible();
  expect((await send('GET', `/registries/${cloud}/tokens/${token}`)).status).toBe('enabled');

  // a sync token's row disables its connected registry, and says so first
  const syncRow = page.getByTestId('token-row').filter({ has: page.getByRole('link', { name: `${edge}-sync-token`, exact: true }) });
  await syncRow.getByRole('button', { name: `Disable ${edge}-sync-token` }).click();
  const disableSync = page.getByRole('alertdialog', { name: `Disable ${edge}?` });
  await expect(disableSync).toContainText('The on-premises registry can no longer sync with its parent');
  await disableSync.getByRole('button', { name: `Disable ${edge}` }).click();
  await expect(syncRow.getByText('disabled', { exact: true })).toBeVisible();
  expect((await send('GET', `/registries/${cloud}/connected-registries/${edge}`)).disabled).toBe(true);
});
