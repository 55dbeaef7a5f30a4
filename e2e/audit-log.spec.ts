import { expect, test } from '@playwright/test';
import { newCloudRegistry, ownerApi, unique } from './helpers';

test.use({ viewport: { width: 1280, height: 800 } });

test('the audit log reads each change as before → after, links targets that still exist, labels times UTC and fits 1280 px', async ({
  page,
  request,
}) => {
  const send = await ownerApi(request);
  const registry = await newCloudRegistry(send);
  const hook = unique('auditlog-hook-');
  // a long URL without spaces: the table must wrap it, not widen the page
  const longUrl = `http://127.0.0.1:9/${'receiver-path-segment/'.repeat(14)}end`;
  await send('POST', `/registries/${registry}/webhooks`, { name: hook, url: 'http://127.0.0.1:9/first', events: ['*'] });
  await send('PATCH', `/registries/${registry}/webhooks/${hook}`, { url: longUrl, expiryWarningDays: 3 });
  const gone = unique('auditgone');
  await send('POST', `/registries/${registry}/scope-maps`, { name: gone, actions: ['repositories/app/content/read'] });
  await send('DELETE', `/registries/${registry}/scope-maps/${gone}`);

  await page.goto(`/audit-log?target=${hook}`);
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('columnheader', { name: 'Time (UTC)' })).toBeVisible();
  const update = page.getByTestId('audit-row').filter({ hasText: 'webhook.update' });
  await expect(update).toHaveCount(1);
  // before → after, field by field, and only the fields that changed
  const change = update.getByTestId('audit-change');
  await expect(change).toContainText('URL:');
  await expect(change).toContainText(`http://127.0.0.1:9/first → ${longUrl}`);
  await expect(change).toContainText('Expiry warning days: 7 → 3');
  await expect(change).not.toContainText('Events');
  await expect(change).not.toContainText('{');
  await expect(update.locator('time')).toContainText(/\d{2}:\d{2}:\d{2} UTC/);

  // the page fits 1280 px: neither the page nor the table scrolls sideways
  const overflow = await page.evaluate(() => {
    const region = document.querySelector('[role="region"][aria-label="Audit events"]')!;
    return {
      page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
      table: region.scrollWidth - region.clientWidth,
    };
  });
  expect(overflow).toEqual({ page: 0, table: 0 });

  // the target is a link to the webhook's page
  await update.getByRole('link', { name: hook }).click();
  await expect(page.getByRole('heading', { level: 1, name: hook })).toBeVisible();

  // a deleted scope map stays in the log as plain text, its creation read as — → value
  await page.goto(`/audit-log?target=${gone}`);
  const rows = page.getByTestId('audit-row');
  await expect(rows).toHaveCount(2);
  await expect(rows.getByRole('link', { name: gone })).toHaveCount(0);
  await expect(rows.getByTestId('audit-target-gone')).toHaveCount(2);
  await expect(rows.filter({ hasText: 'scopeMap.create' }).getByTestId('audit-change')).toContainText(
    'Actions: — → repositories/app/content/read',
  );
});
