import { expect, test } from '@playwright/test';
import { ownerApi } from './helpers';
import { longName } from './portal-pages';

// The Hierarchy page's search on a phone (the `mobile` project: 390 px wide): each match is one
// row that fits the tree's box, its path shortened, with the longest names the rules allow six
// levels deep (the worst case on purpose, so that the check cannot pass by a short name's luck).

test('a search’s matches fit a 390 px screen, their paths shortened', async ({ page, request }) => {
  test.setTimeout(180_000);
  const send = await ownerApi(request);
  const cloud = longName('phonecloud', 50);
  const path = ['region', 'country', 'city', 'site', 'plant'].map((level) => longName(level, 50));
  const match = longName('phonematch', 50);
  await send('POST', '/registries', { name: cloud, loginServer: `${cloud.toLowerCase()}.azurecr.io`, region: 'westus2' });
  let parent: string | null = null;
  for (const name of [...path, match]) {
    await send('POST', `/registries/${cloud}/connected-registries`, {
      name,
      parent,
      loginServer: `${name.toLowerCase()}.factory.local:8080`,
      repositories: ['app'],
    });
    parent = name;
  }

  await page.goto(`/hierarchy?registry=${cloud}`);
  const tree = page.getByRole('tree', { name: `Hierarchy of ${cloud}` });
  await expect(tree).toBeVisible();
  await page.getByRole('searchbox', { name: 'Search registries' }).fill('phonematch');
  await expect(tree).toHaveAttribute('data-query', 'phonematch');
  const row = tree.getByRole('treeitem', { name: match, exact: true });
  await expect(row).toBeVisible();
  await expect(row.locator('[id$="-path"] > [aria-hidden]')).toHaveText(['under', path[0], '›', '…', '›', path[3], '›', path[4]]);
  // its marks are on screen (below the name)
  await expect(row.getByText('Not deployed')).toBeInViewport();

  const sizes = await page.evaluate(() => {
    const box = document.getElementById('hierarchy-tree-scroller')!;
    const item = box.querySelector('[role=treeitem]')!;
    const crumb = item.querySelector('[id$="-path"]')!;
    const middle = (e: Element) => {
      const r = e.getBoundingClientRect();
      return r.top + r.height / 2;
    };
    return {
      page: document.scrollingElement!.scrollWidth,
      screen: window.innerWidth,
      box: box.getBoundingClientRect().right,
      row: item.getBoundingClientRect().right,
      rowWidth: item.scrollWidth,
      rowBox: item.clientWidth,
      crumb: crumb.getBoundingClientRect().right,
      crumbWidth: crumb.scrollWidth,
      crumbBox: crumb.clientWidth,
      // the name beside its icon, on the row's first line
      iconMiddle: middle(item.querySelector('svg')!),
      nameMiddle: middle(item.querySelector('[id$="-label"]')!),
    };
  });
  // the page does not scroll sideways; the row and its path end inside the tree's box (the path's names cut short)
  expect(sizes.page, JSON.stringify(sizes)).toBeLessThanOrEqual(sizes.screen);
  expect(sizes.row, JSON.stringify(sizes)).toBeLessThanOrEqual(sizes.box);
  expect(sizes.rowWidth, JSON.stringify(sizes)).toBeLessThanOrEqual(sizes.rowBox);
  expect(sizes.crumb, JSON.stringify(sizes)).toBeLessThanOrEqual(sizes.box);
  expect(sizes.crumbWidth, JSON.stringify(sizes)).toBeLessThanOrEqual(sizes.crumbBox);
  expect(Math.abs(sizes.iconMiddle - sizes.nameMiddle), JSON.stringify(sizes)).toBeLessThan(6);
});
