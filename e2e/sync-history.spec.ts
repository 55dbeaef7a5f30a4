import { expect, test, type APIRequestContext } from '@playwright/test';
import { ownerApiToken, unique } from './helpers';

// The portal's sync views, fed by the gateway as an edge feeds them: the edge's side is played
// here with its sync token over HTTP (the edge itself is exercised in edge.spec.ts).
const regName = (prefix: string) => unique(prefix).slice(0, 40);

type Edge = { registry: string; name: string; password: string };

async function createEdge(request: APIRequestContext, registry: string, name: string, headers: Record<string, string>): Promise<Edge> {
  const res = await request.post(`/api/v1/registries/${registry}/connected-registries`, {
    headers,
    data: { name, loginServer: `${name.toLowerCase()}.store.local:5000`, repositories: ['app/web'] },
  });
  expect(res.status(), await res.text()).toBe(201);
  const password = /SyncTokenPassword=([^;]+)/.exec((await res.json()).connectionString as string)![1];
  return { registry, name, password };
}

const gateway = (request: APIRequestContext, edge: Edge) => {
  const headers = {
    Authorization: `Basic ${Buffer.from(`${edge.name}-sync-token:${edge.password}`).toString('base64')}`,
    'X-Connected-Registry-Instance': `box-${edge.name}`,
  };
  const path = `/gateway/v1/registries/${edge.registry}/connected-registries/${edge.name}`;
  return {
    config: async () => {
      const res = await request.get(`${path}/config`, { headers });
      expect(res.status()).toBe(200);
      return res.json();
    },
    report: async (run: Record<string, unknown>) => {
      const res = await request.post(`${path}/sync-runs`, { headers, data: run });
      expect(res.status(), await res.text()).toBe(200);
    },
  };
};

const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();

test('sync history, progress, Sync now, the failed badge in the tree and the stale count on the Overview', async ({ page, request }) => {
  // many page loads on a loaded machine: room enough, no timing asserted
  test.setTimeout(240_000);
  const headers = { Authorization: `Bearer ${await ownerApiToken(request)}` };
  const cloud = regName('synccloud');
  expect(
    (
      await request.post('/api/v1/registries', {
        headers,
        data: { name: cloud, loginServer: `${cloud.toLowerCase()}.azurecr.io`, region: 'westus2' },
      })
    ).status(),
  ).toBe(201);
  const edge = await createEdge(request, cloud, regName('store'), headers);
  const api = gateway(request, edge);
  await api.config(); // activates it

  await page.goto('/');
  const staleBefore = Number(await page.getByTestId('count-sync-stale').textContent());

  // a run that copied something, then two that changed nothing, then one in progress
  await api.report({
    id: 'run-1',
    trigger: 'schedule',
    status: 'Succeeded',
    startedAt: minutesAgo(30),
    endedAt: minutesAgo(29),
    repositories: [{ name: 'app/web', down: { tags: 3, bytes: 20_000_000, blobs: 7 } }],
  });
  await api.report({ id: 'run-2', trigger: 'schedule', status: 'Succeeded', startedAt: minutesAgo(28), endedAt: minutesAgo(28) });
  await api.report({ id: 'run-3', trigger: 'schedule', status: 'Succeeded', startedAt: minutesAgo(27), endedAt: minutesAgo(27) });
  await api.report({
    id: 'run-4',
    trigger: 'schedule',
    status: 'Running',
    startedAt: minutesAgo(1),
    repositoriesTotal: 2,
    repositories: [{ name: 'app/web', down: { tags: 1, bytes: 1500 } }],
  });

  // its last successful sync ended 27 minutes ago: stale on a continuous schedule (10 minutes)
  await page.reload();
  await expect(page.getByTestId('count-sync-stale')).toBeVisible();
  expect(Number(await page.getByTestId('count-sync-stale').textContent())).toBeGreaterThanOrEqual(staleBefore + 1);

  await page.goto(`/connected-registries/${edge.name}?registry=${cloud}`);
  const history = page.getByTestId('sync-history');
  const progress = history.getByTestId('sync-run-progress');
  await expect(progress).toContainText('Syncing since');
  await expect(progress).toContainText('1 of 2 repositories');
  await expect(progress).toContainText('1 tag, 1.5 KB');
  const rows = history.getByTestId('sync-run');
  await expect(rows).toHaveCount(3);
  await expect(rows.nth(1)).toContainText('× 2 runs, no change');
  await expect(rows.nth(2)).toContainText('3 tags, 20 MB');

  // the run ends while the page is open: the history follows without a reload
  await api.report({
    id: 'run-4',
    trigger: 'schedule',
    status: 'Failed',
    startedAt: minutesAgo(1),
    endedAt: minutesAgo(0),
    error: 'GET https://cloud/v2/app/web/blobs/sha256:ab: connection refused',
    repositories: [{ name: 'app/web', down: { tags: 1, bytes: 1500 }, error: 'connection refused' }],
  });
  await expect(progress).toHaveCount(0, { timeout: 30_000 });
  await expect(rows.first()).toContainText('Failed');
  await expect(rows.first()).toContainText('connection refused');

  // Sync now on the registry page: the request reaches the edge's configuration
  await page.getByRole('button', { name: 'Sync now' }).click();
  await expect(page.getByText(`Asked ${edge.name} to sync now`)).toBeVisible({ timeout: 20_000 });
  const requested = (await api.config()).syncRequest;
  expect(requested).toEqual({ id: expect.any(String), requestedAt: expect.any(String) });

  // the tree marks the failed registry; its details panel has Sync now too (the request is pending)
  await page.goto(`/hierarchy?registry=${cloud}&node=${edge.name}`);
  const item = page.getByRole('tree').getByRole('treeitem', { name: edge.name, exact: true });
  await expect(item.getByText('sync failed')).toBeVisible();
  const details = page.getByRole('region', { name: `Details of ${edge.name}` });
  await details.getByRole('button', { name: 'Sync now' }).click();
  await expect(details.getByText(`${edge.name} was asked to sync already`)).toBeVisible({ timeout: 20_000 });
  expect((await api.config()).syncRequest).toEqual(requested);

  // the edge takes the request and succeeds: the mark goes away
  await api.report({
    id: 'run-5',
    trigger: 'now',
    requestId: requested.id,
    status: 'Succeeded',
    startedAt: minutesAgo(0),
    endedAt: new Date().toISOString(),
  });
  await page.reload();
  await expect(page.getByRole('tree').getByRole('treeitem', { name: edge.name, exact: true })).toBeVisible();
  await expect(page.getByRole('tree').getByRole('treeitem', { name: edge.name, exact: true }).getByText('sync failed')).toHaveCount(0);
});
