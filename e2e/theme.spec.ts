import { expect, test, type Page } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { lightness, owner } from './helpers';

// Dark mode: the portal follows the system setting until the admin chooses Light or Dark with the
// toggle; the choice applies at once, is remembered (a cookie), and the server renders the page in
// it, so that no page shows the other theme first.

/** The page is in `theme`: its color-scheme, and a near-white page with dark text or the reverse. */
async function expectTheme(page: Page, theme: 'light' | 'dark') {
  await expect(page.locator('html')).toHaveCSS('color-scheme', theme);
  await expect(async () => {
    const { background, text } = await page.locator('body').evaluate((body) => {
      const style = getComputedStyle(body);
      return { background: style.backgroundColor, text: style.color };
    });
    if (theme === 'light') {
      expect(lightness(background)).toBeGreaterThan(0.9);
      expect(lightness(text)).toBeLessThan(0.3);
    } else {
      expect(lightness(background)).toBeLessThan(0.15);
      expect(lightness(text)).toBeGreaterThan(0.9);
    }
  }).toPass();
}

const overview = (page: Page) => page.getByRole('heading', { level: 1, name: 'Overview' });

test('with nothing chosen, the portal follows the system setting', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(overview(page)).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
  await expect(page.getByRole('radio', { name: 'System' })).toBeChecked();
  await expectTheme(page, 'light');
  await page.emulateMedia({ colorScheme: 'dark' });
  await expectTheme(page, 'dark');
});

test('a theme chosen with the toggle applies at once, on the next pages and after a reload, and wins over the system setting', async ({
  page,
}) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto('/');
  await expect(overview(page)).toBeVisible();
  await page.getByRole('radio', { name: 'Dark' }).check();
  await expectTheme(page, 'dark');

  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Audit log' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expectTheme(page, 'dark');
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Audit log' })).toBeVisible();
  await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
  await expectTheme(page, 'dark');

  // Light, chosen, stays light on a dark system; System follows it again
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('radio', { name: 'Light' }).check();
  await expectTheme(page, 'light');
  await page.reload();
  await expect(page.getByRole('radio', { name: 'Light' })).toBeChecked();
  await expectTheme(page, 'light');
  await page.getByRole('radio', { name: 'System' }).check();
  await expectTheme(page, 'dark');
});

test('the server renders the chosen theme: with no script at all, a page is already dark', async ({ browser }) => {
  // without JavaScript nothing can switch the theme after the first paint: what shows is the HTML
  const context = await browser.newContext({ storageState: 'e2e/.auth/owner.json', javaScriptEnabled: false });
  await context.addCookies([{ name: 'canopy-theme', value: 'dark', url: baseURL }]);
  const page = await context.newPage();
  await page.goto('/tokens');
  // the layout is in the first HTML; the list streams in after its loading skeleton, and a script
  // swaps it in (none runs here): the portal's frame, not the list, says the page has come
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expectTheme(page, 'dark');

  // and "system" needs no script either: a dark system setting shows the page dark
  await context.clearCookies({ name: 'canopy-theme' });
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto('/tokens');
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'system');
  await expectTheme(page, 'dark');
  await context.close();
});

test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] } });

  test('the sign-in page has the toggle too, and the choice carries into the portal', async ({ page }) => {
    await page.emulateMedia({ colorScheme: 'light' });
    await page.goto('/sign-in');
    await expect(page.getByRole('heading', { level: 1, name: 'Sign in' })).toBeVisible();
    await page.getByRole('radio', { name: 'Dark' }).check();
    await expectTheme(page, 'dark');
    await page.getByLabel('Email').fill(owner.email);
    await page.getByLabel('Password').fill(owner.password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(overview(page)).toBeVisible();
    await expect(page.getByRole('radio', { name: 'Dark' })).toBeChecked();
    await expectTheme(page, 'dark');
  });
});
