import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { openPage, pageGroups, sharedPage, signedInPages, signedOutPages, withPortalData, type PortalPage } from './portal-pages';

// WCAG 2.0/2.1 A and AA checked by a machine: axe-core on every page, signed in and out, in the
// light and the dark theme. axe is injected into the page, which the Content-Security-Policy
// forbids, so these contexts bypass the CSP; layout.mobile.spec.ts visits the same pages with the
// CSP enforced and fails on a console error or a CSP violation.

const data = withPortalData('axe');

async function expectNoViolations(page: Page, what: string) {
  const { violations } = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  const found = violations.map(
    (v) =>
      `${v.id} (${v.impact}): ${v.nodes
        .map((n) => `${n.target.join(' ')}${n.failureSummary?.includes('contrast') ? ` ${n.any[0]?.message ?? ''}` : ''}`)
        .slice(0, 5)
        .join(' | ')}`,
  );
  expect(found, `axe on ${what}`).toEqual([]);
}

/**
 * Opens the page in the light theme and runs axe, then switches to the dark one and runs it again.
 * Nothing is chosen with the toggle in these contexts, so the theme follows the emulated system
 * setting, and switching it switches the page without loading it again.
 */
async function expectNoViolationsInEitherTheme(page: Page, target: PortalPage) {
  await page.emulateMedia({ colorScheme: 'light' });
  await openPage(page, target);
  await expect(page.locator('html')).toHaveCSS('color-scheme', 'light');
  await expectNoViolations(page, `${target.label} (light)`);
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(page.locator('html')).toHaveCSS('color-scheme', 'dark');
  // buttons fade to their dark colours (transition-colors): axe must see where they end, not halfway
  await page.evaluate(() =>
    Promise.all(
      document
        .getAnimations()
        .filter((a) => a instanceof CSSTransition)
        .map((a) => a.finished),
    ),
  );
  await expectNoViolations(page, `${target.label} (dark)`);
}

/** One test per group of pages (its own timeout), all in one context: each page is loaded once. */
function axeWalk(pages: PortalPage[], signedIn: boolean) {
  const page = sharedPage({ signedIn, bypassCSP: true });
  for (const [group, targets] of pageGroups(pages)) {
    test(`axe finds no WCAG 2.1 A/AA violation on ${group}, light and dark`, async () => {
      // two axe runs per page take long on a loaded machine (a passing test never waits for this)
      test.setTimeout(targets.length * 90_000);
      for (const target of targets) await expectNoViolationsInEitherTheme(page(), target);
    });
  }
}

test.describe('signed in', () => axeWalk(signedInPages(data), true));
test.describe('signed out', () => axeWalk(signedOutPages, false));

test('a skip link leads past the navigation to the page', async ({ page }) => {
  await page.goto(`/hierarchy?registry=${data.cloud}`);
  await expect(page.getByRole('tree')).toBeVisible();
  await page.keyboard.press('Tab');
  const skip = page.getByRole('link', { name: 'Skip to content' });
  await expect(skip).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.locator('main#main')).toBeFocused();
  // from the page's start, the tree is a few Tab presses away (search, buttons), not 14
  let presses = 0;
  while (presses < 8 && !(await page.evaluate(() => document.activeElement?.getAttribute('role') === 'treeitem'))) {
    await page.keyboard.press('Tab');
    presses += 1;
  }
  await expect(page.getByRole('tree').locator('[role=treeitem][tabindex="0"]')).toBeFocused();
});
