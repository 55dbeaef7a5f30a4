import { expect, test } from '@playwright/test';
import { closeWithoutCopying, unique } from './helpers';

test('an access token created in the UI works against /api/v1 and stops working when revoked', async ({ page, request }) => {
  // several pages and a reveal: room for a loaded machine
  test.slow();
  const name = unique('ui-token-');
  await page.goto('/settings');
  await page.getByLabel('New access token name').fill(name);
  await page.getByRole('button', { name: 'Create access token' }).click();
  const secret = page.getByTestId('revealed-secret');
  await expect(secret).toBeVisible();
  const token = (await secret.textContent())!.trim();
  expect(token).toMatch(/^cnp_[A-Za-z0-9_-]{43}$/);
  await closeWithoutCopying(page);
  await expect(secret).toHaveCount(0);
  // shown once: not in the page any more, not after a reload
  expect(await page.content()).not.toContain(token);
  await page.reload();
  expect(await page.content()).not.toContain(token);
  await expect(page.getByTestId('access-token-row').filter({ hasText: name })).toBeVisible();

  const auth = { Authorization: `Bearer ${token}` };
  const ok = await request.get('/api/v1/audit-events?action=accessToken.create&limit=5', { headers: auth });
  expect(ok.status()).toBe(200);
  const body = await ok.json();
  expect(body.items.some((e: { targetName: string }) => e.targetName === name)).toBe(true);

  page.once('dialog', (d) => d.accept());
  await page.getByRole('button', { name: `Revoke ${name}` }).click();
  await expect(page.getByText(`Revoked ${name}.`)).toBeVisible();
  const refused = await request.get('/api/v1/audit-events', { headers: auth });
  expect(refused.status()).toBe(401);
  expect((await refused.json()).error.code).toBe('unauthorized');
});
