import { expect, test } from '@playwright/test';

// The first thing a newcomer sees: the Overview's "Get started" steps, while the browser suite's
// database has no cloud registry yet. This file is the `first-run` project of playwright.config.ts,
// which runs right after the sign-in and before every other spec (they depend on it).

test('the Overview’s "Get started" steps are links to where each step is done', async ({ page }) => {
  // four pages and back, on a machine that may be loaded
  test.slow();
  await page.goto('/');
  const steps = page.getByTestId('get-started');
  await expect(steps.getByRole('link')).toHaveCount(4);
  for (const [name, href, heading] of [
    // the first leads to the form that adds the first cloud registry
    ['Add a cloud registry', '/hierarchy', 'Add your first cloud registry'],
    ['Add connected registries', '/connected-registries/new', 'Add a cloud registry first'],
    ['Create client tokens', '/tokens/new', 'Add a cloud registry first'],
    ['Point your registries at Canopy’s token service', '/settings/token-service', 'Token service'],
  ] as const) {
    const link = steps.getByRole('link', { name });
    await expect(link).toHaveAttribute('href', href);
    await link.click();
    await expect(page).toHaveURL(new RegExp(`${href}$`));
    await expect(page.getByRole('heading', { name: heading })).toBeVisible();
    await page.goBack();
    await expect(steps).toBeVisible();
  }
});
