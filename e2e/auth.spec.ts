import { expect, test } from '@playwright/test';
import { createAdmin, owner, signIn } from './helpers';

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('a signed-out visitor is sent to the sign-in page', async ({ page }) => {
    await page.goto('/tokens');
    await expect(page).toHaveURL(/\/sign-in\?callbackUrl=%2Ftokens/);
    await expect(page.getByRole('heading', { name: 'Sign in' })).toBeVisible();
  });

  test('the first admin signs in and lands where they were going', async ({ page }) => {
    // filtered, so that the events of the specs that ran before cannot push it off the first page
    await page.goto('/audit-log?action=admin.bootstrap');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('heading', { name: 'Audit log' })).toBeVisible();
    // the bootstrap itself is in the audit log
    await expect(page.getByTestId('audit-row').filter({ hasText: 'admin.bootstrap' })).toHaveCount(1);
  });

  test('a wrong password shows an error, and the 6th quick failure is refused', async ({ page, request }) => {
    // six password checks, and from the third failure on the deliberate slow-down (0.5 s, 1 s, 2 s)
    test.slow();
    const admin = await createAdmin(request, 'Reader');
    for (let i = 1; i <= 5; i++) {
      await signIn(page, admin.email, 'wrong-password');
      await expect(page.getByText('The email or password is wrong.')).toBeVisible();
    }
    await signIn(page, admin.email, admin.password);
    await expect(page.getByText(/Too many failed sign-ins/)).toBeVisible();
    await expect(page).toHaveURL(/\/sign-in/);
    // the API answers 429 with Retry-After for the same account
    const res = await request.post('/api/v1/access-tokens', {
      headers: { Authorization: `Basic ${Buffer.from(`${admin.email}:${admin.password}`).toString('base64')}` },
      data: { name: 'x' },
    });
    expect(res.status()).toBe(429);
    expect(Number(res.headers()['retry-after'])).toBeGreaterThan(0);
  });
});

test('a Reader cannot reach an Owner-only page or action', async ({ browser, request }) => {
  const reader = await createAdmin(request, 'Reader');
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  await signIn(page, reader.email, reader.password);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await page.goto('/settings/admins');
  await expect(page.getByRole('heading', { name: 'Only Owners manage admins' })).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add admin' })).toHaveCount(0);
  await page.goto('/settings');
  await expect(page.getByRole('link', { name: /Manage admins/ })).toHaveCount(0);

  // the Owner-only action is refused even when called directly with the Reader's credentials
  const basic = `Basic ${Buffer.from(`${reader.email}:${reader.password}`).toString('base64')}`;
  const tokenRes = await request.post('/api/v1/access-tokens', { headers: { Authorization: basic }, data: { name: 'reader-cli' } });
  expect(tokenRes.status()).toBe(201);
  const { token } = await tokenRes.json();
  const res = await request.post('/api/v1/admins', {
    headers: { Authorization: `Bearer ${token}` },
    data: { email: 'sneaky@canopy.test', name: 'Sneaky', password: 'a-long-password-123', role: 'Owner' },
  });
  expect(res.status()).toBe(403);
  expect((await res.json()).error.code).toBe('forbidden');
  await context.close();
});

test('an Owner adds an admin in Settings and changes their role', async ({ page }) => {
  const email = `added${Date.now()}@canopy.test`;
  await page.goto('/settings/admins');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Name').fill('Added Admin');
  await page.getByLabel('Initial password').fill('short');
  await page.getByRole('button', { name: 'Add admin' }).click();
  // the field's own error, once: by the field, not repeated in the form's banner
  await expect(page.locator('#password-error')).toHaveText('At least 12 characters.');
  await expect(page.getByText('At least 12 characters.', { exact: true })).toHaveCount(1);
  // the form kept what was typed, except the password
  await expect(page.getByLabel('Email')).toHaveValue(email);
  await expect(page.getByLabel('Initial password')).toHaveValue('');
  await page.getByLabel('Initial password').fill('long-enough-password');
  await page.getByRole('button', { name: 'Add admin' }).click();
  const row = page.getByTestId('admin-row').filter({ hasText: email });
  await expect(row).toBeVisible();
  await row.getByLabel(`Role of ${email}`).selectOption('Contributor');
  await expect(page.getByText(`Updated ${email}.`)).toBeVisible();
  await page.reload();
  await expect(page.getByTestId('admin-row').filter({ hasText: email }).getByLabel(`Role of ${email}`)).toHaveValue('Contributor');
});
