import { expect, test, type APIRequestContext, type BrowserContext, type BrowserContextOptions, type Page } from '@playwright/test';
import { startReceiver, type Receiver } from '../test/webhook-receiver';
import { ownerApi, unique } from './helpers';

// Every page of the portal, with data on it (so tables have rows and detail pages exist), for the
// specs that walk them all: axe in both themes, console errors and CSP violations, and the 390 px
// layout. A page joins this list when it is added to app/.
//
// The names are the longest the rules allow, in one unbroken word (no "-" to wrap at), so that a
// layout check sees the worst case on purpose and cannot pass by a short random name's luck.

/**
 * `label` names the page in messages (the path holds this run's unique names); `group` the test
 * that walks it with the other pages of its part of the portal (each group its own test, so its
 * own timeout); `shows` is a text the page shows once its client-side parts have loaded;
 * `outsideFrame` pages (the site's 404) have no navigation, no Menu button.
 */
export type PortalPage = { label: string; group: string; path: string; heading: string; shows?: string; outsideFrame?: true };

/** `prefix` and a unique part, filled up to exactly `length` characters with a wide letter (w). */
export function longName(prefix: string, length: number): string {
  const name = unique(prefix);
  return (name + 'w'.repeat(length)).slice(0, length);
}

/** The names one spec's data uses; unique per spec file (and per worker) so that specs never collide. */
export function portalData(prefix: string) {
  // registries: 5–50 letters and digits; tokens and scope maps: 5–50; webhooks: 3–50
  return {
    cloud: longName(prefix, 50),
    edge: longName(`${prefix}edge`, 50),
    child: longName(`${prefix}child`, 50),
    scopeMap: longName(`${prefix}reads`, 50),
    token: longName(`${prefix}token`, 50),
    webhook: longName(`${prefix}hook`, 50),
    // a repository name of many path components (255 characters at most)
    repository: `factory-floor/line-controllers/${longName(prefix, 60).toLowerCase()}/inspection-camera-firmware`,
    // an admin's email (a 64-character local part) and name (100 characters at most)
    adminEmail: `${longName(prefix, 64)}@${'quality-assurance-department'}.${'northern-manufacturing-plant'}.example`,
    adminName: 'Maximiliane Alexandra Konstantinopoulou-Vandenberghe, Head of Quality Assurance Operations'.slice(0, 100),
  };
}
export type PortalData = ReturnType<typeof portalData>;

/**
 * Makes the data through the REST API and the gateway: a cloud registry with a connected registry
 * (activated, with a succeeded and a failed sync run) and its ReadOnly child, a scope map, a client
 * token accepted by the connected registry, a webhook with one delivered test event (to a receiver
 * on loopback, closed by the returned function), an admin and an access token. The audit log gets
 * an entry for each.
 */
export async function makePortalData(request: APIRequestContext, data: PortalData): Promise<() => Promise<void>> {
  const send = await ownerApi(request);
  const { cloud, edge, child, scopeMap, token, webhook, repository } = data;
  await send('POST', '/registries', { name: cloud, loginServer: `${cloud.toLowerCase()}.azurecr.io`, region: 'westus2' });
  await send('POST', `/registries/${cloud}/scope-maps`, {
    name: scopeMap,
    description: `Pulls of the line controllers' firmware by the inspection cameras of the northern plant (${scopeMap})`,
    actions: [`repositories/${repository}/content/read`, `repositories/${repository}/metadata/read`],
  });
  await send('POST', `/registries/${cloud}/tokens`, { name: token, scopeMap });
  const created = await send('POST', `/registries/${cloud}/connected-registries`, {
    name: edge,
    parent: null,
    loginServer: `${edge.toLowerCase()}.factory.local:8080`,
    repositories: [repository, 'library/hello-world'],
    clientTokens: [token],
    notifications: [`${repository}:*:push`],
  });
  await send('POST', `/registries/${cloud}/connected-registries`, {
    name: child,
    parent: edge,
    mode: 'ReadOnly',
    loginServer: `${child.toLowerCase()}.factory.local:8080`,
    repositories: [repository],
  });

  // the edge's side, played with its sync token: it takes its configuration (activated), then
  // reports a run that copied something and one that failed
  const password = /SyncTokenPassword=([^;]+)/.exec(created.connectionString as string)![1];
  const headers = {
    Authorization: `Basic ${Buffer.from(`${edge}-sync-token:${password}`).toString('base64')}`,
    'X-Connected-Registry-Instance': `box-${edge}`,
  };
  const gateway = `/gateway/v1/registries/${cloud}/connected-registries/${edge}`;
  expect((await request.get(`${gateway}/config`, { headers })).status()).toBe(200);
  const minutesAgo = (m: number) => new Date(Date.now() - m * 60_000).toISOString();
  for (const run of [
    {
      id: 'run-1',
      trigger: 'schedule',
      status: 'Succeeded',
      startedAt: minutesAgo(30),
      endedAt: minutesAgo(29),
      repositories: [{ name: repository, down: { tags: 3, bytes: 20_000_000, blobs: 7 } }],
    },
    {
      id: 'run-2',
      trigger: 'schedule',
      status: 'Failed',
      startedAt: minutesAgo(2),
      endedAt: minutesAgo(1),
      error: `GET https://${cloud.toLowerCase()}.westus2.data.azurecr.io/v2/${repository}/blobs/sha256:${'ab'.repeat(32)}: connection refused`,
      repositories: [{ name: repository, down: { tags: 1, bytes: 1500 }, error: 'connection refused' }],
    },
  ]) {
    const res = await request.post(`${gateway}/sync-runs`, { headers, data: run });
    expect(res.status(), await res.text()).toBe(200);
  }

  const receiver: Receiver = await startReceiver();
  await send('POST', `/registries/${cloud}/webhooks`, {
    name: webhook,
    url: `${receiver.url}/${longName('northernplant', 60)}`,
    events: ['*'],
  });
  await send('POST', `/registries/${cloud}/webhooks/${webhook}/test`, undefined, 202);
  await receiver.waitFor(1, 30_000);

  await send('POST', '/admins', { email: data.adminEmail, name: data.adminName, password: 'a-long-password-123', role: 'Reader' });
  await send('POST', '/access-tokens', { name: longName('automation', 64) });
  return () => receiver.close();
}

/** Every page a signed-in admin can reach, each with its main heading. */
export function signedInPages(data: PortalData): PortalPage[] {
  const { cloud, edge, child, scopeMap, token, webhook } = data;
  const r = `registry=${cloud}`;
  return [
    { label: 'overview', group: 'the overview, cloud registries and hierarchy pages', path: '/', heading: 'Overview' },
    {
      label: 'cloud registries',
      group: 'the overview, cloud registries and hierarchy pages',
      path: '/cloud-registries',
      heading: 'Cloud registries',
      shows: cloud,
    },
    {
      label: 'hierarchy with a node selected',
      group: 'the overview, cloud registries and hierarchy pages',
      path: `/hierarchy?${r}&node=${child}`,
      heading: 'Hierarchy',
      shows: child,
    },
    {
      label: 'connected registries',
      group: 'the connected registry pages',
      path: `/connected-registries?${r}`,
      heading: 'Connected registries',
      shows: child,
    },
    {
      label: 'new connected registry',
      group: 'the connected registry pages',
      path: `/connected-registries/new?${r}`,
      heading: 'New connected registry',
    },
    { label: 'a connected registry', group: 'the connected registry pages', path: `/connected-registries/${edge}?${r}`, heading: edge },
    {
      label: 'a ReadOnly child registry',
      group: 'the connected registry pages',
      path: `/connected-registries/${child}?${r}`,
      heading: child,
    },
    {
      label: 'an unknown connected registry',
      group: 'the connected registry pages',
      path: `/connected-registries/nosuchregistry?${r}`,
      heading: 'No such connected registry',
    },
    { label: 'tokens', group: 'the token pages', path: `/tokens?${r}`, heading: 'Tokens', shows: token },
    { label: 'new token', group: 'the token pages', path: `/tokens/new?${r}`, heading: 'New client token' },
    { label: 'a client token', group: 'the token pages', path: `/tokens/${token}?${r}`, heading: token },
    { label: 'a sync token', group: 'the token pages', path: `/tokens/${edge}-sync-token?${r}`, heading: `${edge}-sync-token` },
    { label: 'an unknown token', group: 'the token pages', path: `/tokens/nosuchtoken?${r}`, heading: 'Not found' },
    { label: 'scope maps', group: 'the scope map pages', path: `/scope-maps?${r}`, heading: 'Scope maps', shows: scopeMap },
    { label: 'new scope map', group: 'the scope map pages', path: `/scope-maps/new?${r}`, heading: 'New scope map' },
    { label: 'a scope map', group: 'the scope map pages', path: `/scope-maps/${scopeMap}?${r}`, heading: scopeMap },
    {
      label: 'a system scope map',
      group: 'the scope map pages',
      path: `/scope-maps/_repositories_admin?${r}`,
      heading: '_repositories_admin',
    },
    { label: 'webhooks', group: 'the webhook and audit log pages', path: `/webhooks?${r}`, heading: 'Webhooks', shows: webhook },
    {
      label: 'a webhook with its delivery log',
      group: 'the webhook and audit log pages',
      path: `/webhooks/${webhook}?${r}`,
      heading: webhook,
    },
    { label: 'audit log', group: 'the webhook and audit log pages', path: '/audit-log', heading: 'Audit log' },
    { label: 'settings', group: 'the settings pages and the 404', path: '/settings', heading: 'Settings' },
    { label: 'admins', group: 'the settings pages and the 404', path: '/settings/admins', heading: 'Admins', shows: data.adminEmail },
    { label: 'token service', group: 'the settings pages and the 404', path: '/settings/token-service', heading: 'Token service' },
    {
      label: 'an unknown address',
      group: 'the settings pages and the 404',
      path: '/nope-page',
      heading: 'Page not found',
      outsideFrame: true,
    },
  ];
}

/** What a signed-out visitor sees: the sign-in page (where every portal page sends them) and the site's 404. */
export const signedOutPages: PortalPage[] = [
  { label: 'sign-in', group: 'the pages seen signed out', path: '/sign-in', heading: 'Sign in' },
  { label: 'a portal page, signed out', group: 'the pages seen signed out', path: '/tokens?registry=anything', heading: 'Sign in' },
  // an unknown address under a public path (elsewhere a signed-out visitor is sent to sign in)
  { label: 'an unknown address, signed out', group: 'the pages seen signed out', path: '/sign-in/nope-page', heading: 'Page not found' },
];

/** Opens a page and waits until its main heading (and what it `shows`) is visible and it has loaded. */
export async function openPage(page: Page, { path, heading, shows }: PortalPage) {
  const response = await page.goto(path);
  expect(response, path).not.toBeNull();
  // room for a page whose data comes from the client (the tree) on a loaded machine
  await expect(page.getByRole('heading', { level: 1, name: heading, exact: true })).toBeVisible({ timeout: 30_000 });
  if (shows) await expect(page.getByText(shows, { exact: true }).first()).toBeVisible({ timeout: 30_000 });
  await page.waitForLoadState('load');
}

/** For a spec file: its data (names from `prefix`), made before its tests; the webhook receiver closed after. */
export function withPortalData(prefix: string): PortalData {
  const data = portalData(prefix);
  let closeReceiver: (() => Promise<void>) | undefined;
  test.beforeAll(async ({ request }) => {
    // a dozen API calls and a webhook delivery on a loaded machine
    test.setTimeout(120_000);
    closeReceiver = await makePortalData(request, data);
  });
  test.afterAll(async () => {
    await closeReceiver?.();
  });
  return data;
}

/** The pages by their `group`, in the order of the list. */
export function pageGroups(pages: PortalPage[]): [group: string, pages: PortalPage[]][] {
  const groups = new Map<string, PortalPage[]>();
  for (const p of pages) groups.set(p.group, [...(groups.get(p.group) ?? []), p]);
  return [...groups];
}

/**
 * One browser context and page for the tests of a describe block (opened before them, closed
 * after): a walk of every page loads the portal's scripts once, not once per test. The context
 * takes the project's viewport and touch; `signedIn` the setup project's session.
 */
export function sharedPage(options: { signedIn: boolean } & BrowserContextOptions): () => Page {
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  test.beforeAll(async ({ browser }) => {
    const { signedIn, ...rest } = options;
    const { viewport, hasTouch, storageState } = test.info().project.use;
    context = await browser.newContext({
      viewport,
      hasTouch,
      storageState: signedIn ? storageState : { cookies: [], origins: [] },
      ...rest,
    });
    page = await context.newPage();
  });
  test.afterAll(async () => {
    await context?.close();
  });
  return () => page!;
}
