import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { closeWithoutCopying, createAdmin, ownerApiToken, signIn, unique } from './helpers';

// Tokens and scope maps in the browser: one-time password reveal, one-click rotation, the
// connected registry's sync switch, the scope-map matrix, and what a Reader may not do.
// Prerequisites (cloud and connected registries, tokens) are made through the REST API.

type Slot = { name: 'password1' | 'password2'; creationTime: string; expiry: string | null };

class Api {
  constructor(
    private readonly request: APIRequestContext,
    private readonly bearer: string,
  ) {}

  static async asOwner(request: APIRequestContext) {
    return new Api(request, await ownerApiToken(request));
  }

  private headers() {
    return { Authorization: `Bearer ${this.bearer}` };
  }

  async send(method: 'GET' | 'POST' | 'PATCH' | 'DELETE', path: string, data?: unknown, status = method === 'POST' ? 201 : 200) {
    const res = await this.request.fetch(`/api/v1${path}`, { method, headers: this.headers(), data });
    expect(res.status(), `${method} ${path}: ${await res.text()}`).toBe(status);
    return res.status() === 204 ? null : res.json();
  }

  async cloudRegistry() {
    const name = unique('cloud');
    await this.send('POST', '/registries', { name, loginServer: `${name.toLowerCase()}.azurecr.io`, region: 'westus2' });
    return name;
  }

  async connectedRegistry(registry: string, opts: { mode?: 'ReadWrite' | 'ReadOnly'; clientTokens?: string[] } = {}) {
    const name = unique('edge');
    const body = await this.send('POST', `/registries/${registry}/connected-registries`, {
      name,
      loginServer: `${name.toLowerCase()}.factory.local:5000`,
      repositories: ['hello-world'],
      mode: opts.mode ?? 'ReadWrite',
      clientTokens: opts.clientTokens ?? [],
    });
    return { name, loginServer: body.loginServer as string, syncToken: body.syncToken as string };
  }

  async token(registry: string, scopeMap = '_repositories_pull') {
    const name = unique('tok-');
    const body = await this.send('POST', `/registries/${registry}/tokens`, { name, scopeMap });
    return { name, passwords: body.passwords as (Slot & { value: string })[] };
  }

  async getToken(registry: string, name: string) {
    return (await this.send('GET', `/registries/${registry}/tokens/${name}`)) as { status: string; passwords: Slot[] };
  }
}

async function revealedPasswords(page: Page): Promise<string[]> {
  const values = page.getByTestId('revealed-password');
  await expect(values.first()).toBeVisible();
  return (await values.allTextContents()).map((v) => v.trim());
}

async function expectNowhere(page: Page, secrets: string[]) {
  const html = await page.content();
  for (const s of secrets) expect(html).not.toContain(s);
}

test('a new token’s passwords are shown once: gone after closing, after a reload and in the history', async ({ page, request }) => {
  const api = await Api.asOwner(request);
  const registry = await api.cloudRegistry();
  const name = unique('ui-tok-');

  await page.goto(`/tokens/new?registry=${registry}`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Scope map', { exact: true }).selectOption('_repositories_push');
  await page.getByRole('button', { name: 'Create token' }).click();

  const dialog = page.getByRole('dialog', { name: `Passwords of ${name}` });
  await expect(dialog).toBeVisible();
  await expect(dialog).toContainText('only time Canopy shows these passwords');
  const passwords = await revealedPasswords(page);
  expect(passwords).toHaveLength(2);
  for (const p of passwords) expect(p).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(passwords[0]).not.toBe(passwords[1]);
  await expect(dialog.getByRole('button', { name: 'Copy' }).first()).toBeVisible();

  await closeWithoutCopying(page);
  await expect(page).toHaveURL(new RegExp(`/tokens/${name}\\?registry=${registry}`));
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByTestId('password-slot-password1')).toContainText('valid');
  await expectNowhere(page, passwords);

  await page.reload();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expectNowhere(page, passwords);

  await page.goBack();
  await expect(page.getByRole('button', { name: 'Create token' })).toBeVisible();
  await expect(page.getByTestId('revealed-password')).toHaveCount(0);
  await expectNowhere(page, passwords);
  await page.goForward();
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expectNowhere(page, passwords);

  // and no read of the API returns them
  const listed = JSON.stringify(await api.send('GET', `/registries/${registry}/tokens?q=${name}`));
  const fetched = JSON.stringify(await api.getToken(registry, name));
  for (const p of passwords) {
    expect(listed).not.toContain(p);
    expect(fetched).not.toContain(p);
  }
  // the list shows it with its scope map and both slots
  await page.goto(`/tokens?registry=${registry}&q=${name}`);
  const row = page.getByTestId('token-row').filter({ hasText: name });
  await expect(row).toContainText('_repositories_push');
  await expect(row.getByTestId('slot-password1')).toHaveAttribute('data-state', 'valid');
});

test('Regenerate password2 is one click plus a confirm: slot 2 changes, slot 1 is untouched', async ({ page, request }) => {
  const api = await Api.asOwner(request);
  const registry = await api.cloudRegistry();
  const token = await api.token(registry);
  const edge = await api.connectedRegistry(registry, { clientTokens: [token.name] });
  const before = await api.getToken(registry, token.name);

  await page.goto(`/tokens/${token.name}?registry=${registry}`);
  await page.getByRole('button', { name: 'Regenerate password2' }).click();
  const confirm = page.getByRole('alertdialog');
  await expect(confirm).toContainText('The old password in password2 stops working at once');
  await expect(confirm).toContainText('password1 is not touched and keeps working');
  await confirm.getByRole('button', { name: 'Regenerate password2' }).click();

  const dialog = page.getByRole('dialog', { name: `New password2 of ${token.name}` });
  await expect(dialog).toBeVisible();
  const [value] = await revealedPasswords(page);
  expect(value).toMatch(/^[A-Za-z0-9_-]{43}$/);
  expect(value).not.toBe(token.passwords.find((p) => p.name === 'password2')!.value);
  await expect(dialog.getByTestId('docker-login-line')).toHaveText(`docker login ${edge.loginServer} -u ${token.name} --password-stdin`);
  await expect(dialog).toContainText('cannot be shown again');

  // Escape closes it, after asking: nothing was copied
  await page.keyboard.press('Escape');
  await page.getByRole('alertdialog', { name: 'Close without copying?' }).getByRole('button', { name: 'Close without copying' }).click();
  await expect(page.getByTestId('one-time-dialog')).toHaveCount(0);
  await expectNowhere(page, [value]);
  await page.reload();
  await expectNowhere(page, [value]);

  const after = await api.getToken(registry, token.name);
  const slot = (t: typeof before, name: Slot['name']) => t.passwords.find((p) => p.name === name)!;
  expect(slot(after, 'password1').creationTime).toBe(slot(before, 'password1').creationTime);
  expect(slot(after, 'password2').creationTime).not.toBe(slot(before, 'password2').creationTime);
  expect(new Date(slot(after, 'password2').creationTime).getTime()).toBeGreaterThan(
    new Date(slot(before, 'password2').creationTime).getTime(),
  );
});

test('a Reader sees no Regenerate, switch or delete, and a forged regenerate is refused', async ({ page, browser, request }) => {
  const api = await Api.asOwner(request);
  const registry = await api.cloudRegistry();
  const token = await api.token(registry);
  const tokenUrl = `/tokens/${token.name}?registry=${registry}`;

  // The Owner's own click shows what the portal sends for a regenerate: the action id and arguments.
  await page.goto(tokenUrl);
  const actionRequest = page.waitForRequest((r) => r.method() === 'POST' && Boolean(r.headers()['next-action']));
  await page.getByRole('button', { name: 'Regenerate password1' }).click();
  await page.getByRole('alertdialog').getByRole('button', { name: 'Regenerate password1' }).click();
  const captured = await actionRequest;
  const actionId = captured.headers()['next-action'];
  const body = captured.postData()!;
  expect(body).toContain(token.name);
  await closeWithoutCopying(page);
  const before = await api.getToken(registry, token.name);

  const reader = await createAdmin(request, 'Reader');
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const readerPage = await context.newPage();
  await signIn(readerPage, reader.email, reader.password);
  await expect(readerPage.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await readerPage.goto(tokenUrl);
  await expect(readerPage.getByRole('heading', { name: token.name })).toBeVisible();
  await expect(readerPage.getByTestId('password-slot-password1')).toBeVisible();
  await expect(readerPage.getByRole('button', { name: /Regenerate|Generate/ })).toHaveCount(0);
  await expect(readerPage.getByRole('button', { name: /Delete/ })).toHaveCount(0);
  await expect(readerPage.getByRole('switch')).toHaveCount(0);
  await readerPage.goto(`/tokens?registry=${registry}`);
  await expect(readerPage.getByRole('link', { name: 'New token' })).toHaveCount(0);
  // nor the sync switch and rotation of a connected registry, nor a scope-map editor
  const edge = await api.connectedRegistry(registry);
  await readerPage.goto(`/tokens/${edge.syncToken}?registry=${registry}`);
  await expect(readerPage.getByTestId('registry-sync-controls')).toContainText('Enabled');
  await expect(readerPage.getByRole('switch')).toHaveCount(0);
  await expect(readerPage.getByRole('button', { name: 'Rotate sync credentials' })).toHaveCount(0);
  const mapName = unique('map-');
  await api.send('POST', `/registries/${registry}/scope-maps`, { name: mapName, actions: ['repositories/app/content/read'] });
  await readerPage.goto(`/scope-maps/${mapName}?registry=${registry}`);
  await expect(readerPage.getByRole('heading', { name: mapName })).toBeVisible();
  await expect(readerPage.getByText('app content/read: granted')).toBeAttached();
  await expect(readerPage.getByRole('checkbox')).toHaveCount(0);
  await expect(readerPage.getByRole('button', { name: /Save|Delete/ })).toHaveCount(0);

  // the same server action, called by the Reader's page itself, is refused and changes nothing
  await readerPage.goto(tokenUrl);
  const forged = await readerPage.evaluate(
    async ({ actionId, body }) => {
      const res = await fetch(window.location.href, {
        method: 'POST',
        headers: { 'Next-Action': actionId, Accept: 'text/x-component', 'Content-Type': 'text/plain;charset=UTF-8' },
        body,
      });
      return { status: res.status, text: await res.text() };
    },
    { actionId, body },
  );
  expect(forged.text).toContain('This needs the Contributor role');
  expect(forged.text).not.toMatch(/"value":"[A-Za-z0-9_-]{43}"/);

  // and through the REST API with the Reader's own access token
  const basic = `Basic ${Buffer.from(`${reader.email}:${reader.password}`).toString('base64')}`;
  const created = await request.post('/api/v1/access-tokens', { headers: { Authorization: basic }, data: { name: unique('reader-') } });
  expect(created.status()).toBe(201);
  const readerToken = (await created.json()).token as string;
  const res = await request.post(`/api/v1/registries/${registry}/tokens/${token.name}/credentials`, {
    headers: { Authorization: `Bearer ${readerToken}` },
    data: { name: 'password1' },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('forbidden');

  const after = await api.getToken(registry, token.name);
  expect(after.passwords).toEqual(before.passwords);
  await context.close();
});

test('the sync switch disables a connected registry, and Rotate sync credentials shows its connection string once', async ({
  page,
  request,
}) => {
  const api = await Api.asOwner(request);
  const registry = await api.cloudRegistry();
  const edge = await api.connectedRegistry(registry);

  await page.goto(`/tokens/${edge.syncToken}?registry=${registry}`);
  const controls = page.getByTestId('registry-sync-controls');
  const toggle = controls.getByRole('switch');
  await expect(toggle).toBeChecked();
  await toggle.click();
  const confirm = page.getByRole('alertdialog', { name: `Disable ${edge.name}?` });
  await expect(confirm).toContainText('The on-premises registry can no longer sync with its parent, and its clients');
  await confirm.getByRole('button', { name: `Disable ${edge.name}` }).click();
  await expect(confirm).toHaveCount(0);
  await expect(toggle).not.toBeChecked();
  await expect(controls).toContainText(`${edge.name} cannot sync`);

  expect((await api.getToken(registry, edge.syncToken)).status).toBe('disabled');
  const connected = await api.send('GET', `/registries/${registry}/connected-registries/${edge.name}`);
  expect(connected.disabled).toBe(true);

  // rotate: one click plus a confirm; the parent is the cloud registry, so https only
  const before = await api.getToken(registry, edge.syncToken);
  await controls.getByRole('button', { name: 'Rotate sync credentials' }).click();
  const rotate = page.getByRole('alertdialog', { name: `Rotate sync credentials of ${edge.name}?` });
  await expect(rotate.getByRole('radio', { name: 'http', exact: true })).toBeDisabled();
  await rotate.getByRole('radio', { name: 'password2' }).check();
  await rotate.getByRole('button', { name: 'Rotate and show connection string' }).click();
  const revealed = page.getByTestId('revealed-connection-string');
  await expect(revealed).toBeVisible();
  const connectionString = (await revealed.textContent())!.trim();
  const match = new RegExp(
    `^ConnectedRegistryName=${edge.name};SyncTokenName=${edge.syncToken};SyncTokenPassword=([A-Za-z0-9_-]{43});ParentGatewayEndpoint=${registry.toLowerCase()}\\.westus2\\.data\\.azurecr\\.io;ParentEndpointProtocol=https$`,
  ).exec(connectionString);
  expect(match, connectionString).not.toBeNull();
  await closeWithoutCopying(page);
  await expect(revealed).toHaveCount(0);
  await expectNowhere(page, [match![1]]);
  await page.reload();
  await expectNowhere(page, [match![1]]);

  const after = await api.getToken(registry, edge.syncToken);
  const created = (t: typeof before, slot: Slot['name']) => t.passwords.find((p) => p.name === slot)?.creationTime;
  expect(created(after, 'password2')).not.toBe(created(before, 'password2'));
  expect(created(after, 'password1')).toBe(created(before, 'password1'));

  // enable again
  await page.getByTestId('registry-sync-controls').getByRole('switch').click();
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: `Enable ${edge.name}` })
    .click();
  await expect(page.getByTestId('registry-sync-controls').getByRole('switch')).toBeChecked();
  expect((await api.getToken(registry, edge.syncToken)).status).toBe('enabled');
});

test('the scope-map matrix saves added and removed actions, and a ReadOnly refusal names the registry', async ({ page, request }) => {
  const api = await Api.asOwner(request);
  const registry = await api.cloudRegistry();
  const mapName = unique('map-');
  await page.goto(`/scope-maps/new?registry=${registry}`);
  await page.getByLabel('Name', { exact: true }).fill(mapName);
  await page.getByLabel('Repository to add').fill('samples/hello');
  await page.getByRole('button', { name: 'Add repository' }).click();
  await expect(page.getByLabel('samples/hello content/read')).toBeChecked();
  await expect(page.getByLabel('samples/hello metadata/read')).toBeChecked();
  await page.getByRole('button', { name: 'Create scope map' }).click();
  await expect(page.getByRole('heading', { name: mapName })).toBeVisible();

  // a ReadOnly registry accepts a token that uses this (read-only) map
  const token = await api.token(registry, mapName);
  const edge = await api.connectedRegistry(registry, { mode: 'ReadOnly', clientTokens: [token.name] });
  await page.reload();

  await page.getByLabel('samples/hello content/write').check();
  await expect(page.getByText('1 to add')).toBeVisible();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(new RegExp(`ReadOnly registry ${edge.name}`))).toBeVisible();
  expect((await api.send('GET', `/registries/${registry}/scope-maps/${mapName}`)).actions).not.toContain(
    'repositories/samples/hello/content/write',
  );

  // a read action is fine: it is saved, and removing one works too
  await page.getByLabel('samples/hello content/write').uncheck();
  await page.getByLabel('Repository to add').fill('library/busybox');
  await page.getByLabel('Repository to add').press('Enter');
  await page.getByLabel('samples/hello metadata/read').uncheck();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByText(`Saved ${mapName}.`)).toBeVisible();
  const saved = await api.send('GET', `/registries/${registry}/scope-maps/${mapName}`);
  expect(saved.actions).toEqual([
    'repositories/library/busybox/content/read',
    'repositories/library/busybox/metadata/read',
    'repositories/samples/hello/content/read',
  ]);

  // deleting is refused while the token uses it, with the service's message
  await page.getByRole('button', { name: 'Delete scope map' }).click();
  await page
    .getByRole('alertdialog')
    .getByRole('button', { name: `Delete ${mapName}` })
    .click();
  await expect(page.getByRole('alertdialog')).toContainText(`${mapName} is used by ${token.name}`);

  // system scope maps are read-only views
  await page.goto(`/scope-maps/_repositories_admin?registry=${registry}`);
  await expect(page.getByText('This is a system scope map')).toBeVisible();
  await expect(page.getByRole('checkbox')).toHaveCount(0);
  await expect(page.getByRole('button', { name: 'Delete scope map' })).toHaveCount(0);
});
