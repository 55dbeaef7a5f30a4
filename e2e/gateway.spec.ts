import { expect, test } from '@playwright/test';
import { spawn, type ChildProcess } from 'node:child_process';
import { baseURL } from '../playwright.config';
import { ownerApiToken, unique } from './helpers';

// The reference agent plays the on-premises registry: it reports, the tree turns the node
// Online; the admin disables the registry with its toggle, the tree marks it disabled, and the
// agent's next poll is refused.
test('the agent reports Online; disabling the registry marks it in the tree and refuses the agent', async ({ page, request }) => {
  test.setTimeout(120_000);
  const headers = { Authorization: `Bearer ${await ownerApiToken(request)}` };
  const cloud = unique('gw').slice(0, 30);
  const name = unique('store').slice(0, 30);
  expect((await request.post('/api/v1/registries', { headers, data: { name: cloud, loginServer: `${cloud}.azurecr.io`, region: 'westus2' } })).status()).toBe(201);
  expect(
    (
      await request.post(`/api/v1/registries/${cloud}/connected-registries`, {
        headers,
        data: { name, mode: 'ReadOnly', loginServer: `${name}.local`, repositories: ['apps/web'] },
      })
    ).status(),
  ).toBe(201);
  const settings = await request.post(`/api/v1/registries/${cloud}/connected-registries/${name}/settings`, {
    headers,
    data: { generatePassword: 'password1' },
  });
  const { connectionString } = await settings.json();

  let output = '';
  const agent: ChildProcess = spawn(
    'npx',
    ['tsx', 'scripts/agent.ts', '--connection-string', connectionString, '--canopy-url', baseURL, '--status-interval', '2', '--instance', 'e2e-box'],
    { stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  agent.stdout!.on('data', (d) => (output += d));
  agent.stderr!.on('data', (d) => (output += d));
  try {
    await expect.poll(() => output, { timeout: 30_000 }).toContain('status reported: Online');
    expect(output).toContain('configuration received: ReadOnly, 1 repositories, 0 client tokens');

    await page.goto(`/hierarchy?registry=${cloud}`);
    const node = page.getByRole('tree').getByRole('treeitem', { name, exact: true });
    await expect(node).toContainText('Online', { timeout: 20_000 });
    await expect(node).not.toContainText('disabled');

    // the admin disables the registry with its toggle
    await page.goto(`/connected-registries/${name}?registry=${cloud}`);
    const controls = page.getByTestId('registry-sync-controls');
    await controls.getByRole('switch').click();
    await page.getByRole('alertdialog').getByRole('button', { name: `Disable ${name}` }).click();
    await expect(controls.getByRole('switch')).not.toBeChecked();

    await page.goto(`/hierarchy?registry=${cloud}`);
    await expect(page.getByRole('tree').getByRole('treeitem', { name, exact: true })).toContainText('disabled');
    // the agent's long poll answers at once with the change, and its next request is refused
    await expect.poll(() => output, { timeout: 20_000 }).toMatch(/refused \(403\).*registry_disabled/);
  } finally {
    try {
      process.kill(-agent.pid!, 'SIGTERM');
    } catch {
      /* already gone */
    }
  }
});
