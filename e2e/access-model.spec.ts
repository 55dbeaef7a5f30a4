import { expect, test, type Page } from '@playwright/test';
import { closeWithoutCopying, newCloudRegistry, ownerApi, type OwnerApi, unique } from './helpers';

// The access model in the portal: a new connected registry with TLS, audit log and garbage
// collection chosen in its form, adopting an existing token as its sync token (ineligible tokens
// disabled with the reason; a 409 shown by the field; "both slots full, none generated"); a sync
// scope map edited on its page; a token created with permissions of its own (<token>-scope-map)
// and passwords that expire after a number of days.

// each test walks a whole journey (many server round trips): give it room on a loaded machine
test.describe.configure({ timeout: 180_000 });

const webRead = ['repositories/apps/web/content/read', 'repositories/apps/web/metadata/read'];

/** A token with a scope map of its own. */
async function tokenWithMap(send: OwnerApi, registry: string, name: string, actions: string[], passwords: boolean) {
  await send('POST', `/registries/${registry}/scope-maps`, { name: `${name}-map`, actions });
  await send('POST', `/registries/${registry}/tokens`, { name, scopeMap: `${name}-map`, noPasswords: !passwords });
}

/** Fills the New connected registry form with a name, a login server and an existing token to adopt (not yet submitted). */
async function adoptInForm(page: Page, registry: string, name: string, token: string) {
  await page.goto(`/connected-registries/new?registry=${registry}`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Login server', { exact: true }).fill(`${name.toLowerCase()}.factory.local:8080`);
  await page.getByText('Use an existing token').click();
  await page.getByLabel('Search tokens').fill(token);
  await page.getByTestId('sync-token-candidates').getByRole('radio', { name: token, exact: true }).check();
}

test('a new registry adopts an existing token as its sync token, with TLS, audit log and garbage collection chosen in the form', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const tag = unique('t').toLowerCase();
  const good = `good-${tag}`;
  const shared = `shared-${tag}`;
  const full = `full-${tag}`;
  const late = `late-${tag}`;
  await tokenWithMap(send, registry, good, webRead, false);
  await tokenWithMap(send, registry, shared, webRead, false);
  await send('POST', `/registries/${registry}/tokens`, { name: `peer-${tag}`, scopeMap: `${shared}-map`, noPasswords: true });
  await tokenWithMap(send, registry, full, webRead, true);
  await tokenWithMap(send, registry, late, webRead, false);

  const edge = unique('edge');
  await page.goto(`/connected-registries/new?registry=${registry}`);
  await page.getByLabel('Name', { exact: true }).fill(edge);
  await page.getByLabel('Login server', { exact: true }).fill(`${edge.toLowerCase()}.factory.local:8080`);
  await page.getByLabel('TLS', { exact: true }).selectOption('Disabled');
  await page.getByLabel('Audit log').selectOption('Enabled');
  await page.getByLabel('Garbage collection schedule (cron)').fill('30 3 * * 0');
  await page.getByText('Use an existing token').click();
  await page.getByLabel('Search tokens').fill(tag);
  const list = page.getByTestId('sync-token-candidates');
  // a token whose scope map another token uses is offered disabled, saying why
  const sharedOption = list.getByRole('radio', { name: shared, exact: true });
  await expect(sharedOption).toBeDisabled();
  await expect(list).toContainText(`${shared}'s scope map ${shared}-map is also used by peer-${tag}`);
  // ReadOnly and a map that writes: the rule is checked as the mode changes
  await tokenWithMap(send, registry, `push-${tag}`, [...webRead, 'repositories/apps/web/content/write'], false);
  await page.getByLabel('Search tokens').fill(`push-${tag}`);
  await page.getByText('A pull-only mirror.').click();
  await expect(list.getByRole('radio', { name: `push-${tag}`, exact: true })).toBeDisabled();
  await expect(list).toContainText('grants more than reading repositories');
  await page.getByText('Clients pull and push; changes sync up to the parent.').click();
  await expect(list.getByRole('radio', { name: `push-${tag}`, exact: true })).toBeEnabled();

  await page.getByLabel('Search tokens').fill(good);
  await list.getByRole('radio', { name: good, exact: true }).check();
  await expect(list).toContainText('A password is generated for its empty slot and shown once.');
  await page.getByRole('button', { name: 'Create connected registry' }).click();
  const dialog = page.getByRole('dialog', { name: `Created ${edge}: deploy it with this connection string` });
  await expect(dialog.getByTestId('revealed-connection-string')).toContainText(`SyncTokenName=${good};SyncTokenPassword=`);
  await expect(dialog.getByTestId('revealed-connection-string')).not.toContainText('SyncTokenPassword=<');
  await closeWithoutCopying(page);
  await expect(page.getByRole('heading', { name: edge })).toBeVisible();
  expect(await send('GET', `/registries/${registry}/connected-registries/${edge}`)).toMatchObject({
    syncToken: good,
    syncTokenAdopted: true,
    ownRepositories: ['apps/web'],
    tls: 'Disabled',
    auditLogStatus: 'Enabled',
    garbageCollection: { enabled: true, schedule: '30 3 * * 0' },
  });

  // both slots full: none is generated, and the dialog says how to get one
  const second = unique('edge');
  await adoptInForm(page, registry, second, full);
  await expect(page.getByTestId('sync-token-candidates')).toContainText('Both its password slots are in use: none is generated');
  await page.getByRole('button', { name: 'Create connected registry' }).click();
  const noPassword = page.getByRole('dialog', { name: `Created ${second}: deploy it with this connection string` });
  await expect(noPassword).toContainText(`Both password slots of ${full} hold a password, so none was generated`);
  await expect(noPassword.getByTestId('revealed-connection-string')).toContainText('SyncTokenPassword=<');
  await closeWithoutCopying(page);
  await expect(page.getByRole('heading', { name: second })).toBeVisible();

  // a token that becomes ineligible after it was chosen: the server's 409 shows by the field, nothing is created
  const third = unique('edge');
  await adoptInForm(page, registry, third, late);
  await send('PATCH', `/registries/${registry}/tokens/${late}`, { status: 'disabled' });
  await page.getByRole('button', { name: 'Create connected registry' }).click();
  await expect(page.locator('#syncToken-error')).toContainText(`${late} is disabled; a sync token must be enabled`);
  await send('GET', `/registries/${registry}/connected-registries/${third}`, undefined, 404);
});

test('a sync scope map is edited on its page: the registry syncs what it grants; its gateway actions stay locked; ReadOnly refuses writes', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const hub = unique('hub');
  const leaf = unique('leaf');
  await send('POST', `/registries/${registry}/connected-registries`, {
    name: hub,
    loginServer: `${hub.toLowerCase()}.local`,
    repositories: ['base'],
  });
  await send('POST', `/registries/${registry}/connected-registries`, {
    name: leaf,
    parent: hub,
    mode: 'ReadOnly',
    loginServer: `${leaf.toLowerCase()}.local`,
    repositories: ['app'],
  });

  await page.goto(`/scope-maps/${hub}-scope-map?registry=${registry}`);
  await expect(page.getByRole('note')).toContainText(`Its repository actions are what ${hub} syncs`);
  // the gateway actions of the registry and its child show, without a box to change them
  const gatewayMatrix = page.getByTestId('gateway-matrix');
  await expect(gatewayMatrix.getByTestId('gateway-row')).toHaveCount(2);
  await expect(gatewayMatrix.getByRole('checkbox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add registry' })).toHaveCount(0);

  await page.getByLabel('Repository to add').fill('tools');
  await page.getByRole('button', { name: 'Add repository' }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`Saved ${hub}-scope-map.`)).toBeVisible();
  await expect(page.getByText('No unsaved changes.')).toBeVisible();
  expect((await send('GET', `/registries/${registry}/connected-registries/${hub}`)).ownRepositories).toEqual(['base', 'tools']);

  // a ReadOnly registry's map refuses write actions, saying why; nothing is saved
  await page.goto(`/scope-maps/${leaf}-scope-map?registry=${registry}`);
  await page.getByRole('checkbox', { name: 'app content/write' }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`${leaf} is ReadOnly: its sync scope map cannot grant repositories/app/content/write`)).toBeVisible();
  const map = await send('GET', `/registries/${registry}/scope-maps/${leaf}-scope-map`);
  expect(map.actions).not.toContain('repositories/app/content/write');
});

test('a token with permissions of its own gets <token>-scope-map, and its passwords expire after the days given', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const taken = unique('tok-');
  // the name its map would get is taken: refused by the name, naming the holder, nothing created
  await send('POST', `/registries/${registry}/scope-maps`, { name: `${taken}-scope-map`, actions: webRead });

  await page.goto(`/tokens/new?registry=${registry}`);
  await page.getByLabel('Name', { exact: true }).fill(taken);
  await page.getByText('Create a new scope map').click();
  await expect(page.getByLabel('Scope map name')).toHaveAttribute('placeholder', `${taken}-scope-map`);
  await page.getByLabel('Repository to add').fill('apps/web');
  await page.getByRole('button', { name: 'Add repository' }).click();
  await page.getByRole('checkbox', { name: 'apps/web content/write' }).check();
  await page.getByText('Generate both passwords, expiring after a number of days').click();
  await page.getByLabel('Days', { exact: true }).fill('30');
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(
    page.getByText(`A scope map named ${taken}-scope-map exists already in ${registry}: no token uses it.`).first(),
  ).toBeVisible();
  await send('GET', `/registries/${registry}/tokens/${taken}`, undefined, 404);

  const name = unique('tok-');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  const dialog = page.getByRole('dialog', { name: `Passwords of ${name}` });
  await expect(dialog.getByTestId('revealed-password')).toHaveCount(2);
  await closeWithoutCopying(page);
  const token = await send('GET', `/registries/${registry}/tokens/${name}`);
  expect(token.scopeMap).toBe(`${name}-scope-map`);
  expect(token.passwords.map((p: { name: string }) => p.name)).toEqual(['password1', 'password2']);
  for (const p of token.passwords as { expiry: string }[]) {
    const days = (new Date(p.expiry).getTime() - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(29);
    expect(days).toBeLessThanOrEqual(30);
  }
  expect((await send('GET', `/registries/${registry}/scope-maps/${name}-scope-map`)).actions).toEqual([
    'repositories/apps/web/content/read',
    'repositories/apps/web/content/write',
    'repositories/apps/web/metadata/read',
  ]);
});
