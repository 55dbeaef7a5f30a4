import { expect, test } from '@playwright/test';
import { closeWithoutCopying, ownerApiToken, unique } from './helpers';

// Creating a connected registry in the portal shows its connection string once, with the sync
// token's first password, in the one-time dialog with a copy button; the string works at the
// gateway at once; closing the dialog drops it and opens the registry's page.
const regName = (prefix: string) => unique(prefix).slice(0, 40);

// two registries created through the form, a gateway call and two page loads: a minute is not enough on a loaded machine
test.describe.configure({ timeout: 180_000 });

test('the portal reveals the new registry’s connection string once, and it works at the gateway', async ({ page, request, context }) => {
  const headers = { Authorization: `Bearer ${await ownerApiToken(request)}` };
  const cloud = regName('reveal');
  const parent = regName('hall');
  const child = regName('bay');
  expect(
    (
      await request.post('/api/v1/registries', {
        headers,
        data: { name: cloud, loginServer: `${cloud.toLowerCase()}.azurecr.io`, region: 'westus2' },
      })
    ).status(),
  ).toBe(201);

  await page.goto(`/connected-registries/new?registry=${cloud}`);
  await page.getByLabel('Name', { exact: true }).fill(parent);
  await page.getByLabel('Login server', { exact: true }).fill(`${parent.toLowerCase()}.factory.local:8443`);
  await page.getByRole('textbox', { name: 'Repositories' }).fill('library/hello-world');
  await page.getByRole('button', { name: 'Create connected registry' }).click();

  const dialog = page.getByRole('dialog', { name: `Created ${parent}: deploy it with this connection string` });
  await expect(dialog).toBeVisible();
  await expect(dialog.getByRole('note')).toContainText('shows only this once');
  const value = (await dialog.getByTestId('revealed-connection-string').textContent()) ?? '';
  expect(value).toMatch(
    new RegExp(
      `^ConnectedRegistryName=${parent};SyncTokenName=${parent}-sync-token;SyncTokenPassword=[A-Za-z0-9_-]{43};ParentGatewayEndpoint=${cloud.toLowerCase()}\\.westus2\\.data\\.azurecr\\.io;ParentEndpointProtocol=https$`,
    ),
  );
  // the copy button puts exactly that string on the clipboard
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await dialog.getByRole('button', { name: 'Copy', exact: true }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(value);

  // the string is what the on-premises registry deploys with: the gateway accepts it at once
  const password = /SyncTokenPassword=([^;]+)/.exec(value)![1];
  const config = await request.get(`/gateway/v1/registries/${cloud}/connected-registries/${parent}/config`, {
    headers: {
      Authorization: `Basic ${Buffer.from(`${parent}-sync-token:${password}`).toString('base64')}`,
      'X-Connected-Registry-Instance': 'e2e-box',
    },
  });
  expect(config.status()).toBe(200);

  // it was copied: the dialog closes without asking
  await dialog.getByRole('button', { name: 'I have copied it' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(page.getByRole('heading', { name: parent })).toBeVisible();
  await expect(page.getByText(password)).toHaveCount(0);

  // under a connected parent, the protocol chosen in the form goes into the string
  await page.getByRole('link', { name: 'Add child' }).click();
  await page.getByLabel('Name', { exact: true }).fill(child);
  await page.getByLabel('Login server', { exact: true }).fill(`${child.toLowerCase()}.factory.local:8080`);
  await page.getByRole('textbox', { name: 'Repositories' }).fill('library/hello-world');
  await page.getByLabel('Parent endpoint protocol').selectOption('http');
  await page.getByRole('button', { name: 'Create connected registry' }).click();
  const second = page.getByRole('dialog', { name: `Created ${child}: deploy it with this connection string` });
  await expect(second.getByTestId('revealed-connection-string')).toContainText(
    `ParentGatewayEndpoint=${parent.toLowerCase()}.factory.local:8443;ParentEndpointProtocol=http`,
  );
  await closeWithoutCopying(page);
  await expect(page.getByRole('heading', { name: child })).toBeVisible();
});
