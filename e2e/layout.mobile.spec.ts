import { expect, test, type Page } from '@playwright/test';
import { openPage, pageGroups, sharedPage, signedInPages, signedOutPages, withPortalData, type PortalPage } from './portal-pages';

// The portal on a phone (the `mobile` project: 390 px wide): every page fits the screen (a table
// or the tree scrolls inside its own box, never the page), the navigation is behind a "Menu"
// button, dialogs fit. The same walk keeps the Content-Security-Policy (accessibility.spec.ts
// bypasses it to inject axe) and fails on any console error, uncaught exception or CSP violation.

const data = withPortalData('phone');

/**
 * No horizontal scrolling of the page itself (a table or the tree may scroll in its own box). The
 * message names the elements that reach past the screen's edge, outside any box that scrolls or clips.
 */
async function expectNoPageOverflow(page: Page, path: string) {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => {
    // inside a box that scrolls or clips; an absolutely positioned element (a screen-reader-only
    // text) is named anyway: it escapes a scroll box that is not positioned itself
    const clipped = (e: Element) => {
      if (getComputedStyle(e).position === 'absolute') return false;
      for (let p = e.parentElement; p && p !== document.body; p = p.parentElement)
        if (getComputedStyle(p).overflowX !== 'visible') return true;
      return false;
    };
    const wide = [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(e))
      .slice(0, 5)
      .map((e) => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') ?? ''}"> ${(e.textContent ?? '').slice(0, 60)}`);
    return { scrollWidth: document.scrollingElement!.scrollWidth, innerWidth: window.innerWidth, wide };
  });
  expect(scrollWidth, `${path} is ${scrollWidth} px wide on a ${innerWidth} px screen:\n${wide.join('\n')}`).toBeLessThanOrEqual(
    innerWidth,
  );
}

/**
 * Collects the page's console errors, uncaught exceptions and CSP violations, each with the address
 * it happened on, for as long as the page lives. Chromium logs a blocked script as a console error;
 * the listener added to every document also reports what it would not log (a blocked style, an
 * image, an eval that code only probes for).
 */
async function watchForErrors(page: Page): Promise<string[]> {
  const errors: string[] = [];
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) =>
      console.error(`CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || 'inline'} (${e.sourceFile}:${e.lineNumber})`),
    );
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // a not-found page answers 404 on purpose, and Chromium logs the document's own status
    if (/status of 404/.test(message.text()) && message.location().url === page.url()) return;
    errors.push(`${message.text()} (at ${message.location().url}, on ${page.url()})`);
  });
  page.on('pageerror', (error) => errors.push(`uncaught: ${error.message} (on ${page.url()})`));
  return errors;
}

/**
 * Walks the pages one group per test, all in one context that keeps the CSP: each page fits the
 * screen, shows the Menu button (the 404 has no navigation), and nothing has logged an error so far
 * (an error that comes late fails the next page's check, named with its address).
 */
function phoneWalk(pages: PortalPage[], signedIn: boolean) {
  const page = sharedPage({ signedIn });
  let errors: string[] = [];
  test.beforeAll(async () => {
    errors = await watchForErrors(page());
  });
  for (const [group, targets] of pageGroups(pages)) {
    test(`${group} fit a 390 px screen and log no console error or CSP violation`, async () => {
      test.setTimeout(targets.length * 45_000);
      for (const target of targets) {
        await openPage(page(), target);
        if (signedIn && !target.outsideFrame) await expect(page().getByRole('button', { name: 'Menu' })).toBeVisible();
        await expectNoPageOverflow(page(), target.label);
        expect(errors, `console errors or CSP violations, up to ${target.label}`).toEqual([]);
      }
    });
  }
}

test.describe('every page, signed in', () => phoneWalk(signedInPages(data), true));
test.describe('every page, signed out', () => phoneWalk(signedOutPages, false));

test('the theme toggle breaks no Content-Security-Policy', async ({ page }) => {
  const errors = await watchForErrors(page);
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  await page.getByRole('button', { name: 'Menu' }).click();
  await page.getByRole('dialog', { name: 'Canopy' }).getByRole('radio', { name: 'Dark' }).check();
  await expect(page.locator('html')).toHaveAttribute('data-theme', 'dark');
  await expect(page.locator('html')).toHaveCSS('color-scheme', 'dark');
  expect(errors).toEqual([]);
});

test('the live hierarchy hydrates without a mismatch when its data is already stale (a browser clock a minute ahead)', async ({ page }) => {
  // the tree refetches data older than its staleTime as it hydrates; the server's HTML showed no
  // refetch, and the first client render must not either (React would log a hydration mismatch)
  const errors = await watchForErrors(page);
  await page.clock.install({ time: Date.now() + 60_000 });
  await openPage(
    page,
    signedInPages(data).find((p) => p.label === 'hierarchy with a node selected')!,
  );
  expect(errors).toEqual([]);
});

test('the Menu button opens the navigation, and a link in it goes there', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Overview' })).toBeVisible();
  // the sidebar is not shown at this width
  await expect(page.getByRole('navigation', { name: 'Main' })).toBeHidden();
  await page.getByRole('button', { name: 'Menu' }).click();
  const menu = page.getByRole('dialog', { name: 'Canopy' });
  await expect(menu).toBeVisible();
  await expect(menu.getByTestId('current-admin')).toBeVisible();
  await menu.getByRole('link', { name: 'Tokens' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Tokens' })).toBeVisible();
  await expect(menu).toHaveCount(0);
});

test('dialogs fit a 390 px screen', async ({ page }) => {
  const { edge, cloud } = data;
  await page.goto(`/connected-registries/${edge}?registry=${cloud}`);
  await expect(page.getByRole('heading', { level: 1, name: edge })).toBeVisible();
  await page.getByRole('button', { name: 'Delete', exact: true }).click();
  const dialog = page.getByRole('dialog', { name: `${edge} cannot be deleted yet` });
  await expect(dialog).toBeVisible();
  const box = await dialog.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x).toBeGreaterThanOrEqual(0);
  expect(box!.x + box!.width).toBeLessThanOrEqual(390);
  await expectNoPageOverflow(page, 'the delete dialog');
});
