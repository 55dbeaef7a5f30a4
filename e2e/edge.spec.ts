import { expect, test } from '@playwright/test';
import { execFile } from 'node:child_process';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../lib/free-port';
import { startEdge, type RunningEdge } from '../test/edge-process';
import { buildTinyOciImage, pull, push } from '../test/registry-interop';
import { baseURL } from '../playwright.config';
import { closeWithoutCopying, ownerApiToken, unique } from './helpers';

// The admin's whole path to a running connected registry, with real software: create it in the
// portal, deploy Canopy Edge (the built file, as a site runs it) with exactly the file and the
// command the one-time dialog shows, watch it turn Online, serve a client token through its login
// server with skopeo; rotating the sync credentials shows the same deploy command; disabling the
// registry with its toggle marks it in the tree and makes the edge refuse every client.
const regName = (prefix: string) => unique(prefix).slice(0, 40);

test('an admin deploys Canopy Edge with the commands the portal shows; it reports Online, serves clients, and refuses them once disabled', async ({
  page,
  request,
}) => {
  test.slow(); // a build of the edge, an edge with its registry, and skopeo on a loaded machine
  const headers = { Authorization: `Bearer ${await ownerApiToken(request)}` };
  const cloud = regName('edgecloud');
  const name = regName('site');
  const port = await freePort();
  const loginServer = `127.0.0.1:${port}`;
  expect(
    (
      await request.post('/api/v1/registries', {
        headers,
        data: { name: cloud, loginServer: `${cloud.toLowerCase()}.azurecr.io`, region: 'westus2' },
      })
    ).status(),
  ).toBe(201);
  const rw = ['content/read', 'content/write', 'metadata/read'].map((a) => `repositories/apps/web/${a}`);
  expect((await request.post(`/api/v1/registries/${cloud}/scope-maps`, { headers, data: { name: 'web-rw', actions: rw } })).status()).toBe(
    201,
  );
  const tokenRes = await request.post(`/api/v1/registries/${cloud}/tokens`, { headers, data: { name: 'builder', scopeMap: 'web-rw' } });
  expect(tokenRes.status()).toBe(201);
  const builder = `builder:${((await tokenRes.json()) as { passwords: { value: string }[] }).passwords[0].value}`;

  // the site's one file, built as the README says
  const site = mkdtempSync(join(tmpdir(), 'canopy-e2e-edge-'));
  const program = join(site, 'canopy-edge.mjs');
  await promisify(execFile)(process.execPath, ['scripts/build-edge.mjs', '--outfile', program]);

  await page.goto(`/connected-registries/new?registry=${cloud}`);
  await page.getByLabel('Name', { exact: true }).fill(name);
  await page.getByLabel('Login server', { exact: true }).fill(loginServer);
  await page.getByRole('textbox', { name: 'Repositories' }).fill('apps/web');
  await page.getByRole('combobox', { name: 'Client tokens (optional)' }).fill('builder');
  await page.getByRole('option', { name: /builder/ }).click();
  await page.getByRole('button', { name: 'Create connected registry' }).click();

  const dialog = page.getByRole('dialog', { name: `Created ${name}: deploy it with this connection string` });
  const connectionString = (await dialog.getByTestId('revealed-connection-string').textContent({ timeout: 30_000 })) ?? '';
  expect(connectionString).toContain(`ConnectedRegistryName=${name};`);
  const instructions = dialog.getByTestId('edge-deploy-instructions');
  const id = name.toLowerCase();
  const shown = (await instructions.getByTestId('edge-deploy-command').textContent()) ?? '';
  // a registry under the cloud registry talks to Canopy's gateway; its login server has TLS (the default), so the edge serves HTTPS
  const etc = `/etc/canopy-edge/${id}`;
  const plain = `node /usr/local/lib/canopy-edge.mjs --connection-string-file ${etc}/connection-string --data-dir /var/lib/canopy-edge/${id} --canopy-url ${baseURL}`;
  expect(shown).toBe(`${plain} --tls-cert ${etc}/tls.crt --tls-key ${etc}/tls.key`);
  const unit = (await instructions.getByTestId('edge-deploy-unit').textContent()) ?? '';
  expect(unit).toContain(`ExecStart=/usr/bin/node ${shown.slice('node '.length)}\n`);
  // the password is nowhere but in the connection string (for the file)
  const password = /SyncTokenPassword=([^;]+)/.exec(connectionString)![1];
  for (const text of [shown, unit]) expect(text).not.toContain(password);
  await closeWithoutCopying(page);
  await expect(page.getByRole('heading', { name })).toBeVisible();
  await expect(page.getByText(password)).toHaveCount(0);

  // this lab site serves plain HTTP: with TLS off the registry page shows the command without certificate flags
  expect(
    (await request.patch(`/api/v1/registries/${cloud}/connected-registries/${name}`, { headers, data: { tls: 'Disabled' } })).status(),
  ).toBe(200);
  await page.reload();
  const pageCommand = page.getByTestId('edge-deploy-instructions').getByTestId('edge-deploy-command');
  await expect(pageCommand).toHaveText(plain);
  await expect(page.getByTestId('edge-deploy-instructions').getByTestId('edge-deploy-write-file')).toContainText(
    `(umask 077; cat > ${etc}/connection-string)`,
  );

  // deploy exactly that: the file (0600) and the command, with the site's paths under a temporary folder
  const file = join(site, 'connection-string');
  writeFileSync(file, connectionString, { mode: 0o600 });
  chmodSync(file, 0o600);
  const [runtime, shownProgram, ...shownArgs] = plain.split(' ');
  expect([runtime, shownProgram]).toEqual(['node', '/usr/local/lib/canopy-edge.mjs']);
  const args = shownArgs.map((a) =>
    a === `${etc}/connection-string` ? file : a === `/var/lib/canopy-edge/${id}` ? join(site, 'data') : a,
  );
  let edge: RunningEdge | null = null;
  try {
    edge = startEdge([...args, '--status-interval', '2'], { built: program });

    await page.goto(`/hierarchy?registry=${cloud}`);
    const treeNode = page.getByRole('tree').getByRole('treeitem', { name, exact: true });
    await expect(treeNode, edge.output()).toContainText('Online', { timeout: 60_000 });
    await expect(treeNode).not.toContainText('disabled');

    // a client token pushes and pulls through the edge's login server (its own token service)
    const image = await buildTinyOciImage('hello from the e2e edge\n');
    const pushed = await push(image, loginServer, 'apps/web:1.0', builder);
    expect(pushed.ok, `${pushed.output}\n${edge.output()}`).toBe(true);
    expect((await pull(loginServer, 'apps/web:1.0', builder)).ok).toBe(true);

    // rotating into the other slot shows the connection string again with the same deploy steps
    await page.goto(`/connected-registries/${name}?registry=${cloud}`);
    const controls = page.getByTestId('registry-sync-controls');
    await controls.getByRole('button', { name: 'Rotate sync credentials' }).click();
    const confirm = page.getByRole('alertdialog');
    await confirm.getByRole('radio', { name: 'password2' }).check();
    await confirm.getByRole('button', { name: 'Rotate and show connection string' }).click();
    const rotated = page.getByRole('dialog', { name: `Connection string of ${name}` });
    await expect(rotated.getByTestId('revealed-connection-string')).toContainText(`ConnectedRegistryName=${name};`);
    await expect(rotated.getByTestId('edge-deploy-command')).toHaveText(plain);
    await closeWithoutCopying(page);

    // the admin disables the registry with its toggle: the tree marks it, and the edge refuses every client
    await controls.getByRole('switch').click();
    await page
      .getByRole('alertdialog')
      .getByRole('button', { name: `Disable ${name}` })
      .click();
    await expect(controls.getByRole('switch')).not.toBeChecked();
    await page.goto(`/hierarchy?registry=${cloud}`);
    await expect(page.getByRole('tree').getByRole('treeitem', { name, exact: true })).toContainText('disabled');
    const running = edge;
    await expect
      .poll(async () => (await fetch(`http://${loginServer}/v2/`)).status, { timeout: 30_000, message: running.output() })
      .toBe(403);
    expect((await pull(loginServer, 'apps/web:1.0', builder)).ok).toBe(false);
    expect(edge.output()).toMatch(/registry\.disabled/);
  } finally {
    await edge?.stop();
  }
});
