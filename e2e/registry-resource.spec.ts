import { expect, test } from '@playwright/test';
import { closeWithoutCopying, createAdmin, newCloudRegistry, ownerApi, signIn, unique } from './helpers';

// The rest of the registry resource in the browser: the cloud-registries page (list, edit,
// delete refused while connected registries remain), a connected registry's TLS, audit log and
// garbage collection in its sync settings, the docker-login warning for a registry without TLS,
// and a new token with a new scope map created together or not at all.

// each test walks a whole journey (many server round trips): on a loaded machine a minute is not enough
test.describe.configure({ timeout: 180_000 });

test('the cloud-registries page lists, edits, and deletes a cloud registry — refused with the reason while it has connected registries', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const edge = unique('edge');
  await send('POST', `/registries/${registry}/connected-registries`, {
    name: edge,
    loginServer: `${edge.toLowerCase()}.local`,
    repositories: ['app'],
  });

  await page.goto('/');
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Cloud registries' }).click();
  await expect(page).toHaveURL(/\/cloud-registries$/);
  const row = page.getByTestId('cloud-registry-row').filter({ hasText: registry });
  await expect(row).toContainText(`${registry.toLowerCase()}.azurecr.io`);
  await expect(row).toContainText(`${registry.toLowerCase()}.westus2.data.azurecr.io`);
  await expect(row.getByRole('cell').nth(4)).toHaveText('1');

  // edit: a bad login server is refused next to the field, and nothing changes
  await row.getByRole('button', { name: `Edit ${registry}` }).click();
  const dialog = page.getByRole('dialog', { name: `Edit ${registry}` });
  await dialog.getByLabel('Login server', { exact: true }).fill('not a host');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText(/Enter a host name or IP address/).first()).toBeVisible();
  expect((await send('GET', `/registries/${registry}`)).loginServer).toBe(`${registry.toLowerCase()}.azurecr.io`);

  // then a good one, with a new region and data endpoint
  await dialog.getByLabel('Login server', { exact: true }).fill(`${registry.toLowerCase()}.example.com`);
  await dialog.getByLabel('Region').fill('westeurope');
  await dialog.getByLabel('Data endpoint').fill(`${registry.toLowerCase()}.westeurope.data.example.com`);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(row).toContainText(`${registry.toLowerCase()}.example.com`);
  await expect(row).toContainText('westeurope');
  expect(await send('GET', `/registries/${registry}`)).toMatchObject({
    loginServer: `${registry.toLowerCase()}.example.com`,
    region: 'westeurope',
    dataEndpoint: `${registry.toLowerCase()}.westeurope.data.example.com`,
  });
  const audit = await send('GET', `/audit-events?action=cloudRegistry.update&target=${registry}`);
  expect(audit.items[0].details).toMatchObject({ before: { region: 'westus2' }, after: { region: 'westeurope' } });

  // delete is refused while edge is under it: the dialog says why, the registry stays
  await row.getByRole('button', { name: 'Delete' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('has 1 connected registry');
  await confirm.getByRole('button', { name: `Delete ${registry}` }).click();
  await expect(confirm).toContainText(`${registry} still has 1 connected registry; delete them first.`);
  await confirm.getByRole('button', { name: 'Cancel' }).click();
  expect((await send('GET', `/registries/${registry}`)).name).toBe(registry);

  // once edge is gone it goes
  await send('DELETE', `/registries/${registry}/connected-registries/${edge}`);
  await page.reload();
  await row.getByRole('button', { name: 'Delete' }).click();
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: `Delete ${registry}` })
    .click();
  await expect(page.getByText(`Deleted the cloud registry ${registry}`)).toBeVisible();
  await expect(page.getByTestId('cloud-registry-row').filter({ hasText: registry })).toHaveCount(0);
  await send('GET', `/registries/${registry}`, undefined, 404);
});

test('a Reader sees the cloud registries but no Add, Edit or Delete', async ({ browser, request }) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const reader = await createAdmin(request, 'Reader');
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, reader.email, reader.password);
  await expect(page).toHaveURL(/\/$/);
  await page.goto('/cloud-registries');
  await expect(page.getByTestId('cloud-registry-row').filter({ hasText: registry })).toBeVisible();
  await expect(page.getByRole('button', { name: /^Edit / })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete' })).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Add cloud registry' })).toHaveCount(0);
  await context.close();
});

test('sync settings edit TLS, the audit log and garbage collection; a bad GC schedule is refused and nothing is saved', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const edge = unique('edge');
  await send('POST', `/registries/${registry}/connected-registries`, {
    name: edge,
    loginServer: `${edge.toLowerCase()}.local`,
    repositories: ['app'],
  });

  await page.goto(`/connected-registries/${edge}?registry=${registry}`);
  const form = page.getByRole('form', { name: 'Sync settings' });
  await expect(form.getByLabel('TLS', { exact: true })).toHaveValue('Enabled');
  await expect(form.getByLabel('Audit log')).toHaveValue('Disabled');
  await expect(form.getByLabel('Collect garbage on the on-premises registry')).toBeChecked();
  await expect(form.getByLabel('Garbage collection schedule (cron)')).toHaveValue('0 0 * * *');
  await expect(form).toContainText('At 00:00');

  await form.getByLabel('Garbage collection schedule (cron)').fill('0 25 * * *');
  await expect(form.getByText(/is not a valid cron schedule/)).toBeVisible();
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  await expect(form.getByText(/is not a valid cron schedule/).first()).toBeVisible();
  expect((await send('GET', `/registries/${registry}/connected-registries/${edge}`)).garbageCollection).toEqual({
    enabled: true,
    schedule: '0 0 * * *',
  });

  await form.getByLabel('Garbage collection schedule (cron)').fill('30 2 * * 0');
  await expect(form).toContainText('At 02:30, only on Sunday');
  await form.getByLabel('TLS', { exact: true }).selectOption('Disabled');
  await form.getByLabel('Audit log').selectOption('Enabled');
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  await expect(form.getByText('Saved the sync settings.')).toBeVisible();
  expect(await send('GET', `/registries/${registry}/connected-registries/${edge}`)).toMatchObject({
    tls: 'Disabled',
    auditLogStatus: 'Enabled',
    garbageCollection: { enabled: true, schedule: '30 2 * * 0' },
  });

  await page.reload();
  await expect(form.getByLabel('TLS', { exact: true })).toHaveValue('Disabled');
  await form.getByLabel('Collect garbage on the on-premises registry').uncheck();
  await expect(form.getByLabel('Garbage collection schedule (cron)')).toBeDisabled();
  await form.getByRole('button', { name: 'Save sync settings' }).click();
  await expect(form.getByText('Saved the sync settings.')).toBeVisible();
  expect((await send('GET', `/registries/${registry}/connected-registries/${edge}`)).garbageCollection).toEqual({
    enabled: false,
    schedule: '30 2 * * 0',
  });
  await expect(page.getByText('over http (TLS disabled)')).toBeVisible();

  // the audit log has each change's before and after
  const events = await send('GET', `/audit-events?action=connectedRegistry.update&target=${edge}`);
  const details = events.items.map((e: { details: Record<string, unknown> }) => e.details);
  expect(details).toContainEqual(
    expect.objectContaining({ tls: { before: 'Enabled', after: 'Disabled' }, auditLogStatus: { before: 'Disabled', after: 'Enabled' } }),
  );
});

test('a client token of a registry without TLS gets the insecure-registries warning beside its docker login line', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const token = unique('tok-');
  await send('POST', `/registries/${registry}/tokens`, { name: token, scopeMap: '_repositories_pull' });
  const edge = unique('edge');
  await send('POST', `/registries/${registry}/connected-registries`, {
    name: edge,
    loginServer: '10.1.2.3:5000',
    tls: 'Disabled',
    repositories: ['app'],
    clientTokens: [token],
  });

  await page.goto(`/tokens/${token}?registry=${registry}`);
  await page.getByRole('button', { name: 'Regenerate password1' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Regenerate password1' }).click();
  const dialog = page.getByRole('dialog', { name: `New password1 of ${token}` });
  await expect(dialog.getByTestId('docker-login-line')).toHaveText(`docker login 10.1.2.3:5000 -u ${token} --password-stdin`);
  await expect(dialog.getByTestId('insecure-registry-note')).toContainText('10.1.2.3:5000 serves plain http');
});

test('a new token with a new scope map: both are created together, or neither', async ({ page, request }) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const taken = unique('tok-');
  await send('POST', `/registries/${registry}/tokens`, { name: taken, scopeMap: '_repositories_pull' });
  const mapName = unique('map-');

  await page.goto(`/tokens/new?registry=${registry}`);
  await page.getByLabel('Name', { exact: true }).fill(taken);
  await page.getByText('Create a new scope map').click();
  await page.getByLabel('Scope map name').fill(mapName);
  await page.getByLabel('Repository to add').fill('samples/hello');
  await page.getByRole('button', { name: 'Add repository' }).click();
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByText(`A token named ${taken} exists already in ${registry}.`).first()).toBeVisible();
  // the scope map was not left behind, and the form still offers to create it
  await send('GET', `/registries/${registry}/scope-maps/${mapName}`, undefined, 404);
  await expect(page.getByLabel('Scope map name')).toHaveValue(mapName);

  const name = unique('tok-');
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByRole('button', { name: 'Create token' }).click();
  await expect(page.getByRole('dialog', { name: `Passwords of ${name}` })).toBeVisible();
  expect((await send('GET', `/registries/${registry}/tokens/${name}`)).scopeMap).toBe(mapName);
  expect((await send('GET', `/registries/${registry}/scope-maps/${mapName}`)).actions).toEqual([
    'repositories/samples/hello/content/read',
    'repositories/samples/hello/metadata/read',
  ]);
});

test('Regenerate both renews both slots in one step; Rotate sync credentials takes an expiry and defaults to the parent’s protocol', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const token = unique('tok-');
  const created = await send('POST', `/registries/${registry}/tokens`, { name: token, scopeMap: '_repositories_pull' });

  await page.goto(`/tokens/${token}?registry=${registry}`);
  await page.getByRole('button', { name: 'Regenerate both' }).click();
  const confirm = page.getByRole('alertdialog', { name: `Regenerate both passwords of ${token}?` });
  await expect(confirm).toContainText(`Every password of ${token} stops working at once.`);
  await confirm.getByRole('button', { name: 'Regenerate both' }).click();
  const dialog = page.getByRole('dialog', { name: `Passwords of ${token}` });
  // the dialog opens when the server action answers: wait for both values before reading them
  await expect(dialog.getByTestId('revealed-password')).toHaveCount(2);
  const values = (await dialog.getByTestId('revealed-password').allTextContents()).map((v) => v.trim());
  expect(values).toHaveLength(2);
  for (const [i, p] of (created.passwords as { value: string }[]).entries()) expect(values[i]).not.toBe(p.value);
  await closeWithoutCopying(page);
  const after = await send('GET', `/registries/${registry}/tokens/${token}`);
  for (const slot of after.passwords as { name: string; creationTime: string }[]) {
    const before = (created.passwords as { name: string; creationTime: string }[]).find((p) => p.name === slot.name)!;
    expect(new Date(slot.creationTime).getTime()).toBeGreaterThan(new Date(before.creationTime).getTime());
  }

  // a child of a registry without TLS: the rotate dialog offers http first, and the expiry is kept
  const parent = unique('edge');
  await send('POST', `/registries/${registry}/connected-registries`, {
    name: parent,
    loginServer: '10.4.5.6:5000',
    tls: 'Disabled',
    repositories: ['app'],
  });
  const child = unique('edge');
  await send('POST', `/registries/${registry}/connected-registries`, {
    name: child,
    parent,
    loginServer: `${child.toLowerCase()}.local`,
    repositories: ['app'],
  });
  await page.goto(`/connected-registries/${child}?registry=${registry}`);
  await page.getByTestId('registry-sync-controls').getByRole('button', { name: 'Rotate sync credentials' }).click();
  const rotate = page.getByRole('alertdialog', { name: `Rotate sync credentials of ${child}?` });
  await expect(rotate.getByRole('radio', { name: 'http', exact: true })).toBeChecked();
  await rotate.getByRole('radio', { name: 'password2' }).check();
  await rotate.getByLabel('Expires on').fill('2099-06-30');
  await rotate.getByRole('button', { name: 'Rotate and show connection string' }).click();
  await expect(page.getByTestId('revealed-connection-string')).toContainText(
    ';ParentGatewayEndpoint=10.4.5.6:5000;ParentEndpointProtocol=http',
  );
  await closeWithoutCopying(page);
  const sync = await send('GET', `/registries/${registry}/tokens/${child}-sync-token`);
  expect(sync.passwords.find((p: { name: string }) => p.name === 'password2').expiry).toBe('2099-06-30T23:59:59.000Z');
});
