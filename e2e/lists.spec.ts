import { expect, test } from '@playwright/test';
import { newCloudRegistry, ownerApi } from './helpers';

// Lists at fleet scale (issue 15 item 11): previous page as well as next, how many match, sorts
// that keep their place through the pages; and in the tree, how many registries a search
// matched, the registries under a disabled one, and the ones never deployed.

test('the tokens list pages forwards and back, says how many match, and sorts', async ({ page, request }) => {
  test.setTimeout(180_000); // 26 tokens made through the API first: room for a loaded machine
  const send = await ownerApi(request);
  const cloud = await newCloudRegistry(send);
  await send('POST', `/registries/${cloud}/scope-maps`, { name: 'pullmap', actions: ['repositories/app/content/read'] });
  // made one after the other: token01 is the oldest, token26 the newest
  const names = Array.from({ length: 26 }, (_, i) => `token${String(i + 1).padStart(2, '0')}`);
  for (const name of names) await send('POST', `/registries/${cloud}/tokens`, { name, scopeMap: 'pullmap', noPasswords: true });

  await page.goto(`/tokens?registry=${cloud}`);
  const rows = page.getByTestId('token-row');
  await expect(rows).toHaveCount(25);
  await expect(page.getByTestId('list-count')).toHaveText('25 shown of 26 tokens');
  await expect(rows.first()).toContainText('token01');
  await expect(page.getByRole('link', { name: '← Previous page' })).toHaveCount(0);

  await page.getByRole('link', { name: 'Next page →' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('token26');
  await expect(page.getByRole('link', { name: 'Next page →' })).toHaveCount(0);

  await page.getByRole('link', { name: '← Previous page' }).click();
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText('token01');
  await expect(page.getByRole('link', { name: '← Previous page' })).toHaveCount(0);

  // newest first, and the next page goes on in that order
  const sort = page.getByRole('navigation', { name: 'Sort' });
  await sort.getByRole('link', { name: 'Sort by Created' }).click();
  await expect(page).toHaveURL(/sort=created/);
  await expect(rows.first()).toContainText('token26');
  await page.getByRole('link', { name: 'Next page →' }).click();
  await expect(rows).toHaveCount(1);
  await expect(rows.first()).toContainText('token01');
  await page.getByRole('link', { name: '← Previous page' }).click();
  await expect(rows).toHaveCount(25);
  await expect(rows.first()).toContainText('token26');

  // the current sort's link turns its order around
  await sort.getByRole('link', { name: /^Created, descending/ }).click();
  await expect(page).toHaveURL(/order=asc/);
  await expect(rows.first()).toContainText('token01');

  // a filter keeps the sort, and the count follows the filter
  await page.getByRole('search', { name: 'Filter tokens' }).getByRole('searchbox').fill('token2');
  await expect(page).toHaveURL(/q=token2/);
  await expect(page).toHaveURL(/sort=created/);
  await expect(rows).toHaveCount(7);
  await expect(page.getByTestId('list-count')).toHaveText('7 shown of 7 tokens');
  await expect(rows.first()).toContainText('token20');
});

test('the tree says how many registries a search matched, marks those under a disabled one, and the ones never deployed', async ({
  page,
  request,
}) => {
  test.setTimeout(120_000);
  const send = await ownerApi(request);
  const cloud = await newCloudRegistry(send);
  const connected = (name: string, parent: string | null) =>
    send('POST', `/registries/${cloud}/connected-registries`, {
      name,
      parent,
      loginServer: `${name.toLowerCase()}.${cloud.toLowerCase()}.local`,
      repositories: ['app'],
    });
  await connected('plantone', null);
  await connected('lineone', 'plantone');
  await connected('cellone', 'lineone');
  await connected('planttwo', null);
  const { syncToken } = await send('GET', `/registries/${cloud}/connected-registries/plantone`);
  await send('PATCH', `/registries/${cloud}/tokens/${syncToken}`, { status: 'disabled' });

  await page.goto(`/hierarchy?registry=${cloud}`);
  const tree = page.getByRole('tree');
  const row = (name: string) => tree.locator(`[role=treeitem][data-key="${name}"] > div`);
  await expect(row('plantone')).toContainText('disabled');
  await expect(row('plantone')).toContainText('Not deployed');
  await expect(row('plantone')).not.toContainText('Offline');
  await expect(row('lineone')).toContainText('parent disabled');
  await expect(row('cellone')).toContainText('ancestor disabled');
  await expect(row('planttwo')).not.toContainText('parent disabled');

  await page.getByRole('searchbox', { name: 'Search registries' }).fill('plant');
  await expect(page.getByTestId('tree-search-count')).toHaveText('2 registries match “plant”');
  await expect(tree).toHaveAttribute('data-query', 'plant');
  await page.getByRole('searchbox', { name: 'Search registries' }).fill('cellone');
  await expect(page.getByTestId('tree-search-count')).toHaveText('1 registry matches “cellone”');
  // a match keeps its marks, and says where it is
  await expect(row('cellone')).toContainText('ancestor disabled');
  await expect(row('cellone')).toContainText('Not deployed');
  await expect(row('cellone')).toContainText('under plantone › lineone');
  await page.getByRole('searchbox', { name: 'Search registries' }).fill('nowhere');
  await expect(page.getByTestId('tree-search-count')).toHaveText('No registry matches');

  // the list and the registry's page say "Not deployed" too
  await page.goto(`/connected-registries?registry=${cloud}&q=planttwo`);
  await expect(page.getByTestId('connected-registry-row')).toContainText('Not deployed');
  await expect(page.getByTestId('connected-registry-row')).not.toContainText('Offline');
});
