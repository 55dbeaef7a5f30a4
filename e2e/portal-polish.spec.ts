import { expect, test, type Page } from '@playwright/test';
import { ownerRestApi, registryName } from './helpers';

// Dead ends of the portal found by trying it as an admin would (issue 15, "Broken").

/**
 * Console errors and CSP violations a page logs (uncaught exceptions included). A 404 page's
 * own status is what it is meant to answer: Chromium's note about it is not counted.
 */
function consoleErrors(page: Page, expectedStatusOf?: string): string[] {
  const errors: string[] = [];
  page.on('console', (m) => {
    if (m.type() !== 'error') return;
    const at = m.location().url;
    if (expectedStatusOf && at.endsWith(expectedStatusOf) && /status of 404/.test(m.text())) return;
    errors.push(`${m.text()} (${at})`);
  });
  page.on('pageerror', (e) => errors.push(e.message));
  return errors;
}

test('"Collapse all" collapses a small hierarchy to its first level', async ({ page, request }) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('collapse');
  const [parent, child] = [registryName('upper'), registryName('lower')];
  await api.cloud(cloud);
  await api.connected(cloud, parent, null);
  await api.connected(cloud, child, parent);

  await page.goto(`/hierarchy?registry=${cloud}`);
  const tree = page.getByRole('tree');
  // a small tree opens fully
  await expect(tree.getByRole('treeitem', { name: child, exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Collapse all' }).click();
  await expect(tree.getByRole('treeitem', { name: child, exact: true })).toHaveCount(0);
  const upper = tree.getByRole('treeitem', { name: parent, exact: true });
  await expect(upper).toBeVisible();
  await expect(upper).toHaveAttribute('aria-expanded', 'false');
  // and it opens again from there
  await upper.click();
  await page.keyboard.press('ArrowRight');
  await expect(tree.getByRole('treeitem', { name: child, exact: true })).toBeVisible();
});

test('a malformed page link shows the first page with a notice, never an error page', async ({ page, request }) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('cursor');
  await api.cloud(cloud);
  const forged = Buffer.from(JSON.stringify({ id: 'x' })).toString('base64url');
  for (const [path, heading] of [
    [`/tokens?registry=${cloud}&cursor=not-a-cursor`, 'Tokens'],
    [`/tokens?registry=${cloud}&cursor=${forged}`, 'Tokens'],
    [`/scope-maps?registry=${cloud}&cursor=%7B%7D`, 'Scope maps'],
    [`/audit-log?cursor=${forged}`, 'Audit log'],
    [`/audit-log?action=registry.&cursor=!!!`, 'Audit log'],
  ] as const) {
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(200);
    await expect(page.getByRole('heading', { level: 1, name: heading })).toBeVisible();
    await expect(page.getByTestId('page-link-notice')).toContainText('this is the first page');
  }
  // the system scope maps are listed: it is the first page, not an empty one
  await page.goto(`/scope-maps?registry=${cloud}&cursor=bad`);
  await expect(page.getByRole('link', { name: '_repositories_pull', exact: true })).toBeVisible();
  // a good link shows no notice
  await page.goto(`/audit-log`);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page.getByTestId('page-link-notice')).toHaveCount(0);
});

test('an unknown address shows a Canopy 404 with a way home and no console errors', async ({ page }) => {
  const errors = consoleErrors(page, '/nope-page');
  const response = await page.goto('/nope-page');
  expect(response?.status()).toBe(404);
  await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
  await expect(page.getByText('Canopy', { exact: true })).toBeVisible();
  await page.waitForLoadState('load');
  await page.getByRole('link', { name: 'Back to the overview' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  expect(errors).toEqual([]);
});

test('a ReadOnly registry’s token picker offers read-only tokens and shows the others disabled, with the reason', async ({
  page,
  request,
}) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('picker');
  const edge = registryName('mirror');
  await api.cloud(cloud);
  await api.connected(cloud, edge, null, 'ReadOnly');
  await api.scopeMap(cloud, 'pick-reads', [
    'repositories/library/hello-world/content/read',
    'repositories/library/hello-world/metadata/read',
  ]);
  await api.scopeMap(cloud, 'pick-writes', [
    'repositories/library/hello-world/content/read',
    'repositories/library/hello-world/content/write',
  ]);
  await api.token(cloud, 'pick-reader', 'pick-reads');
  await api.token(cloud, 'pick-pusher', 'pick-writes');

  await page.goto(`/connected-registries/${edge}?registry=${cloud}`);
  const picker = page.getByRole('combobox', { name: 'Accept more client tokens' });
  await picker.fill('pick-');
  const listbox = page.getByRole('listbox', { name: 'Matching client tokens' });
  const reader = listbox.getByRole('option', { name: /pick-reader/ });
  const pusher = listbox.getByRole('option', { name: /pick-pusher/ });
  await expect(reader).toBeVisible();
  await expect(pusher).toBeVisible();
  await expect(reader).not.toHaveAttribute('aria-disabled', 'true');
  await expect(pusher).toHaveAttribute('aria-disabled', 'true');
  await expect(pusher).toContainText('not read-only: scope map pick-writes allows writing');
  // the eligible one comes first
  await expect(listbox.getByRole('option').first()).toContainText('pick-reader');

  await pusher.click({ force: true }); // what a mouse does on a disabled option: nothing
  await expect(page.getByRole('button', { name: 'Remove pick-pusher' })).toHaveCount(0);
  await reader.click();
  await expect(page.getByRole('button', { name: 'Remove pick-reader' })).toBeVisible();
  await page.getByRole('button', { name: 'Add token' }).click();
  await expect(page.getByRole('list', { name: 'Accepted client tokens' }).getByRole('link', { name: 'pick-reader' })).toBeVisible();
});

test('a form’s error shows once, by its field, in words', async ({ page, request }) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('errors');
  const taken = registryName('taken');
  await api.cloud(cloud);
  await api.connected(cloud, taken, null);

  await page.goto(`/connected-registries/new?registry=${cloud}`);
  await expect(page.getByRole('heading', { name: 'New connected registry' })).toBeVisible();
  await page.getByLabel('Name', { exact: true }).fill(taken);
  await page.getByLabel('Login server', { exact: true }).fill(`${registryName('other').toLowerCase()}.factory.local:8080`);
  await page.getByLabel('Repositories').fill('library/hello-world');
  await page.getByRole('button', { name: 'Create connected registry' }).click();
  await expect(page.getByText('This name is taken in this hierarchy.')).toHaveCount(1);
  await expect(page.getByLabel('Name', { exact: true })).toHaveAttribute('aria-invalid', 'true');
  // not again in a banner, and no raw `name:` prefix anywhere
  await expect(page.getByText(/exists already/)).toHaveCount(0);
  await expect(page.getByText(/\bname: /)).toHaveCount(0);
});

test('the delete dialog of a registry with children says what to do first and offers no delete', async ({ page, request }) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('deleting');
  const [parent, child] = [registryName('keeper'), registryName('leaf')];
  await api.cloud(cloud);
  await api.connected(cloud, parent, null);
  await api.connected(cloud, child, parent);

  await page.goto(`/connected-registries/${parent}?registry=${cloud}`);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `${parent} cannot be deleted yet` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('It still has 1 connected registry under it.');
  await expect(dialog).toContainText(`Delete the registry under ${parent} first`);
  await expect(dialog.getByRole('button', { name: /delete/i })).toHaveCount(0);
  await dialog.getByRole('link', { name: `List the registries directly under ${parent}` }).click();
  await expect(page.getByRole('link', { name: child, exact: true })).toBeVisible();

  // a leaf gets the real confirmation
  await page.goto(`/connected-registries/${child}?registry=${cloud}`);
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByRole('dialog', { name: `Delete ${child}?` }).getByRole('button', { name: `Delete ${child}` })).toBeEnabled();
});

test('the new-registry form says as the login server is typed that a cloud registry holds it, or which connected registries share it', async ({
  page,
  request,
}) => {
  const api = await ownerRestApi(request);
  const cloud = registryName('sharing');
  const sharer = registryName('sharer');
  await api.cloud(cloud);
  await api.connected(cloud, sharer, null);

  await page.goto(`/connected-registries/new?registry=${cloud}`);
  await expect(page.getByRole('heading', { level: 1, name: 'New connected registry' })).toBeVisible();
  const fresh = registryName('fresh');
  await page.getByLabel('Name', { exact: true }).fill(fresh);
  const loginServer = page.getByLabel('Login server', { exact: true });
  const note = page.getByTestId('login-server-note');
  // the room is for the note's lookup on a loaded machine (it asks the server once typing pauses)
  const lookup = { timeout: 30_000 };

  // another connected registry's login server: allowed, and the form says with whom it is shared
  await loginServer.fill(`${sharer.toLowerCase()}.factory.local:8080`);
  await expect(note).toContainText(`is shared with ${cloud}/${sharer}`, lookup);
  await expect(note).toContainText(`configure the registry with its service name ${cloud}/${fresh}`);
  // the cloud registry's own: refused by the server, so the form says so before the submit
  await loginServer.fill(`${cloud.toLowerCase()}.azurecr.io`);
  await expect(note).toContainText(`is the login server of cloud registry ${cloud}, which names it alone: choose another.`, lookup);
  // a login server nobody uses: nothing to say
  await loginServer.fill(`${fresh.toLowerCase()}.factory.local:8080`);
  await expect(note).toHaveCount(0, lookup);
});
