import { expect, test } from '@playwright/test';
import { newCloudRegistry, ownerApi, ownerApiToken } from './helpers';

// A path segment that does not percent-decode (a stray "%", a cut UTF-8 sequence) made Next.js's
// production server answer a bare 500 on every dynamic page and route handler. Every one of them
// is asked here, against the production build the suite runs.
const BAD = ['%zz', '%E0%A4%A', '%'];

test('a malformed percent-encoding in a page path shows the page’s own 404 in the portal, never a 500', async ({ page, request }) => {
  test.setTimeout(180_000);
  const registry = await newCloudRegistry(await ownerApi(request));
  const pages: [string, RegExp][] = [
    ['/tokens/{}', /Not found/],
    ['/scope-maps/{}', /Not found/],
    ['/webhooks/{}', /Not found/],
    ['/connected-registries/{}', /No such connected registry/],
  ];
  // every combination answers the page's 404 (a plain request, with the signed-in cookie) ...
  for (const [template] of pages) {
    for (const bad of BAD) {
      for (const query of ['', `?registry=${registry}`]) {
        const path = template.replace('{}', bad) + query;
        expect((await request.get(path)).status(), path).toBe(404);
      }
    }
  }
  // ... and shows it in the portal's frame, with the navigation as a way on
  for (const [i, [template, heading]] of pages.entries()) {
    const path = template.replace('{}', BAD[i % BAD.length]) + (i % 2 ? `?registry=${registry}` : '');
    const response = await page.goto(path);
    expect(response?.status(), path).toBe(404);
    await expect(page.getByRole('heading', { level: 1, name: heading }), path).toBeVisible();
    await expect(page.getByRole('link', { name: 'Audit log' }).first(), path).toBeAttached();
  }
  // a static page with a malformed segment after it is an ordinary unknown address
  const response = await page.goto('/tokens/new/%zz');
  expect(response?.status()).toBe(404);
});

test('a malformed percent-encoding in an API or gateway path is a 400 in the JSON error format, never a 500', async ({ request }) => {
  test.setTimeout(180_000);
  const bearer = await ownerApiToken(request);
  const registry = await newCloudRegistry(await ownerApi(request));
  const R = `/api/v1/registries/${registry}`;
  const templates = [
    '/api/v1/registries/{}',
    '/api/v1/registries/{}/tokens',
    '/api/v1/registries/{}/hierarchy',
    '/api/v1/registries/{}/sync-token-candidates',
    '/api/v1/registries/{}/connected-registries',
    `${R}/connected-registries/{}`,
    `${R}/connected-registries/{}/permissions`,
    `${R}/connected-registries/{}/deactivate`,
    `${R}/connected-registries/{}/client-tokens`,
    `${R}/connected-registries/{}/sync-runs`,
    `${R}/connected-registries/{}/settings`,
    `${R}/connected-registries/{}/sync`,
    `${R}/scope-maps/{}`,
    `${R}/tokens/{}`,
    `${R}/tokens/{}/credentials`,
    `${R}/tokens/{}/credentials/{}`,
    `${R}/webhooks/{}`,
    `${R}/webhooks/{}/test`,
    `${R}/webhooks/{}/deliveries`,
    `${R}/webhooks/x/deliveries/{}/redeliver`,
    '/api/v1/admins/{}',
    '/api/v1/access-tokens/{}',
    '/api/v1/login-servers/{}',
    '/api/v1/{}',
    '/api/auth/{}',
    '/gateway/{}',
    '/gateway/v1/registries/{}/connected-registries/x/config',
    `/gateway/v1/registries/${registry}/connected-registries/{}/config`,
    `/gateway/v1/registries/${registry}/connected-registries/{}/status`,
    `/gateway/v1/registries/${registry}/connected-registries/{}/sync-runs`,
  ];
  for (const template of templates) {
    for (const bad of BAD) {
      const path = template.replaceAll('{}', bad);
      for (const method of ['GET', 'POST', 'PATCH', 'DELETE'] as const) {
        const res = await request.fetch(path, {
          method,
          headers: { Authorization: `Bearer ${bearer}` },
          data: method === 'GET' ? undefined : {},
        });
        expect(res.status(), `${method} ${path}`).toBe(400);
        const body = await res.json();
        expect(body.error.code, `${method} ${path}`).toBe('invalid_request');
        expect(body.error.message).toContain('malformed percent-encoding');
      }
    }
  }
  // the same name, well formed (%25 is "%"), reaches its handler, which knows no such registry
  const res = await request.get('/api/v1/registries/%25zz', { headers: { Authorization: `Bearer ${bearer}` } });
  expect(res.status()).toBe(404);
  expect((await res.json()).error).toMatchObject({ code: 'not_found', message: 'Cloud registry "%zz" was not found.' });
});

test('signed out, a malformed page path goes to sign-in like any other page', async ({ browser }) => {
  const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
  const page = await context.newPage();
  const response = await page.goto('/connected-registries/%zz');
  expect(response?.status()).toBe(200);
  await expect(page.getByRole('button', { name: 'Sign in' })).toBeVisible();
  await context.close();
});
