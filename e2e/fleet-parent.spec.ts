import { expect, test } from '@playwright/test';
import { ownerRestApi, registryName } from './helpers';

// A new registry's parent in a hierarchy too big to list (over 100 registries): typed, with the
// registries whose names contain it offered as it is typed, and the parent's mode rules applied.

test('in a big hierarchy the parent is searched as it is typed, and "Add child" presets it', async ({ page, request }) => {
  test.setTimeout(300_000);
  const api = await ownerRestApi(request);
  const cloud = registryName('fleet');
  await api.cloud(cloud);
  const sites = Array.from({ length: 101 }, (_, i) => `site${String(i).padStart(3, '0')}`);
  for (let i = 0; i < sites.length; i += 8)
    await Promise.all(sites.slice(i, i + 8).map((s) => api.connected(cloud, s, null, s === 'site100' ? 'ReadOnly' : 'ReadWrite')));

  await page.goto(`/connected-registries/new?registry=${cloud}`);
  const parent = page.getByRole('combobox', { name: 'Parent', exact: true });
  await expect(parent).toHaveValue('');
  await expect(page.getByText(`Empty: directly under ${cloud}.`)).toBeVisible();

  await parent.fill('site09');
  // site090 to site099 contain it; all ten are offered, by name
  await expect(page.getByText('10 match: choose one from the list, or type more.')).toBeVisible();
  await expect(page.locator('#parent-suggestions option')).toHaveCount(10);
  await expect(page.locator('#parent-suggestions option').first()).toHaveAttribute('value', 'site090');

  await parent.fill('site100');
  await expect(page.getByText('site100 — ReadOnly.')).toBeVisible();
  // the ReadOnly parent's rule applies as it does with the list
  await page.getByRole('radio', { name: /ReadWrite/ }).check();
  await expect(page.locator('#mode-hint')).toHaveText(
    'A ReadOnly registry can only have ReadOnly children: choose ReadOnly, or another parent.',
  );
  await page.getByRole('radio', { name: /ReadOnly/ }).check();
  await expect(page.locator('#mode-hint')).toHaveText('site100 is ReadOnly: its children must be ReadOnly too.');

  await parent.fill('nosuchsite');
  await expect(page.getByText(`No connected registry of ${cloud} has “nosuchsite” in its name.`)).toBeVisible();

  // "Add child" on a registry of the big hierarchy names its parent, in any case
  await page.goto(`/connected-registries/new?registry=${cloud}&parent=SITE007`);
  await expect(page.getByRole('combobox', { name: 'Parent', exact: true })).toHaveValue('site007');
  await expect(page.getByText('site007 — ReadWrite.')).toBeVisible();
});
