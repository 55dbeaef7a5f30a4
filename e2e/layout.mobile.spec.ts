import { expect, test, type Page } from '@playwright/test';
import { ownerRestApi, registryName } from './helpers';

// The portal on a phone (the `mobile` project: 390 px wide): the navigation is behind a "Menu"
// button, dialogs fit the screen.

const cloud = registryName('phone');
// the longest names the rules allow, of wide letters: a layout that fits them fits any name
const edge = registryName('phoneedge').padEnd(50, 'w');
const child = registryName('phonechild').padEnd(50, 'w');

test.beforeAll(async ({ request }) => {
  const api = await ownerRestApi(request);
  await api.cloud(cloud);
  await api.connected(cloud, edge, null);
  await api.connected(cloud, child, edge);
  await api.scopeMap(cloud, 'phone-reads', ['repositories/library/hello-world/content/read']);
  await api.token(cloud, 'phone-token', 'phone-reads');
});

/** No horizontal scrolling of the page itself (a table or the tree may scroll in its own box). */
async function expectNoPageOverflow(page: Page, path: string) {
  const { scrollWidth, innerWidth, wide } = await page.evaluate(() => ({
    scrollWidth: document.scrollingElement!.scrollWidth,
    innerWidth: window.innerWidth,
    // the elements that reach past the screen's edge, to name the culprit when this fails
    wide: [...document.querySelectorAll('body *')]
      .filter((e) => e.getBoundingClientRect().right > window.innerWidth + 0.5)
      .map((e) => `<${e.tagName.toLowerCase()} class="${e.getAttribute('class') ?? ''}">${(e.textContent ?? '').slice(0, 40)}`),
  }));
  expect(scrollWidth, `${path} is ${scrollWidth} px wide on a ${innerWidth} px screen:\n${wide.join('\n')}`).toBeLessThanOrEqual(
    innerWidth,
  );
}

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
