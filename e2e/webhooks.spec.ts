import { expect, test } from '@playwright/test';
import { startReceiver, type Receiver } from '../test/webhook-receiver';
import { closeWithoutCopying, newCloudRegistry, ownerApi } from './helpers';

let receiver: Receiver;
test.beforeAll(async () => {
  receiver = await startReceiver();
});
test.afterAll(async () => {
  await receiver.close();
});

test('a webhook made in the portal shows its secret once; Send test arrives signed, shows in the delivery log, and Redeliver sends the same webhook-id', async ({
  page,
  request,
}) => {
  // one long journey (create, deliver, redeliver, rotate) on a machine shared by many builds
  test.setTimeout(150_000);
  const registry = await newCloudRegistry(await ownerApi(request));

  await page.goto(`/webhooks?registry=${registry}`);
  await expect(page.getByRole('heading', { name: 'Webhooks', exact: true })).toBeVisible();
  const form = page.getByRole('form', { name: 'New webhook' });
  // a refused URL keeps the input and says why next to the field
  await form.getByLabel('Name').fill('ops-alerts');
  await form.getByLabel('URL').fill('http://169.254.169.254/latest');
  await form.getByRole('button', { name: 'Create webhook' }).click();
  await expect(form.getByText(/link-local/).first()).toBeVisible();
  await expect(form.getByLabel('Name')).toHaveValue('ops-alerts');

  await form.getByLabel('URL').fill(receiver.url);
  await form.getByRole('button', { name: 'Create webhook' }).click();
  const shown = page.getByTestId('revealed-secret');
  await expect(shown).toBeVisible();
  const secret = (await shown.textContent())!.trim();
  expect(secret).toMatch(/^whsec_[A-Za-z0-9+/]{43}=$/);
  receiver.secrets.push(secret);
  await closeWithoutCopying(page);
  await expect(shown).toHaveCount(0);
  await page.reload();
  expect(await page.content()).not.toContain(secret);

  await page.getByRole('link', { name: 'ops-alerts' }).click();
  await expect(page.getByRole('heading', { name: 'ops-alerts', exact: true })).toBeVisible();
  await page.getByRole('button', { name: 'Send test' }).click();
  const [first] = await receiver.waitFor(1);
  expect(first.validSignatures).toBe(1);
  expect(first.event).toMatchObject({ type: 'io.canopy.webhook.test', specversion: '1.0' });

  const delivery = page.getByTestId('delivery').first();
  await expect(delivery.getByText('delivered')).toBeVisible();
  await expect(delivery.getByTestId('attempt').first()).toContainText('200');
  await expect(delivery).toContainText(String(first.headers['webhook-id']));

  await delivery.getByRole('button', { name: /^Redeliver/ }).click();
  const again = await receiver.waitFor(2);
  expect(again[1].headers['webhook-id']).toBe(first.headers['webhook-id']);
  expect(again[1].validSignatures).toBe(1);
  await expect(delivery.getByTestId('attempt')).toHaveCount(2);

  await page.getByRole('button', { name: 'Rotate secret' }).click();
  const rotated = (await page.getByTestId('revealed-secret').textContent())!.trim();
  expect(rotated).toMatch(/^whsec_/);
  expect(rotated).not.toBe(secret);
  await closeWithoutCopying(page);
  await expect(page.getByText(/the old one also signs until/)).toBeVisible();
});
