import { expect, test } from '@playwright/test';
import { newCloudRegistry, ownerApi, unique } from './helpers';

test("a webhook's URL, events, expiry warning and enabled state are edited in the portal: errors by their field, nothing written, then saved and audited", async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const name = unique('edit-hook-');
  await send('POST', `/registries/${registry}/webhooks`, { name, url: 'http://127.0.0.1:9/before', events: ['*'] });
  const stored = () => send('GET', `/registries/${registry}/webhooks/${name}`);

  await page.goto(`/webhooks/${name}?registry=${registry}`);
  const form = page.getByRole('form', { name: `Edit ${name}` });
  await expect(form.getByLabel('URL', { exact: true })).toHaveValue('http://127.0.0.1:9/before');

  // each refusal is shown by its field, keeps the input, and writes nothing: first the form's rules ...
  const url = form.getByLabel('URL', { exact: true });
  const days = form.getByLabel('Warn of expiring passwords (days before)');
  const save = form.getByRole('button', { name: 'Save changes' });
  await url.fill('ftp://alerts.example.com/canopy');
  await days.fill('0');
  await form.getByLabel('Every alert').uncheck();
  await save.click();
  await expect(page.locator('#url-error')).toContainText('Only http and https URLs are allowed.');
  await expect(page.locator('#expiryWarningDays-error')).toContainText('At least 1 day.');
  await expect(form.getByRole('group', { name: 'Events' }).getByRole('alert')).toContainText('Choose at least one event type');
  await expect(url).toHaveValue('ftp://alerts.example.com/canopy');
  // ... then the address check of the use case (cloud metadata lives at link-local addresses)
  await url.fill('http://169.254.169.254/latest');
  await days.fill('3');
  await form.getByLabel('connectedRegistry.offline').check();
  await save.click();
  await expect(page.locator('#url-error')).toContainText('link-local');
  await expect(page.locator('#expiryWarningDays-error')).toBeEmpty();
  expect(await stored()).toMatchObject({ url: 'http://127.0.0.1:9/before', events: ['*'], expiryWarningDays: 7, enabled: true });

  await url.fill('http://127.0.0.1:9/after');
  await form.getByLabel('Enabled: deliver events to this URL').uncheck();
  await save.click();
  await expect(form.getByRole('status')).toContainText(`Saved ${name}.`);
  await expect(page.locator('#url-error')).toBeEmpty();
  expect(await stored()).toMatchObject({
    url: 'http://127.0.0.1:9/after',
    events: ['io.canopy.connectedRegistry.offline'],
    expiryWarningDays: 3,
    enabled: false,
  });
  // the page shows what was saved: the endpoint is disabled, so there is nothing to test
  await expect(page.getByRole('button', { name: 'Send test' })).toBeDisabled();

  const audit = await send('GET', `/audit-events?target=${name}&action=webhook.update`);
  expect(audit.items).toHaveLength(1);
  expect(audit.items[0].details).toMatchObject({
    before: { url: 'http://127.0.0.1:9/before', enabled: true, expiryWarningDays: 7 },
    after: { url: 'http://127.0.0.1:9/after', enabled: false, expiryWarningDays: 3 },
  });
});
