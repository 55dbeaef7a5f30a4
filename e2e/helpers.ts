import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { owner } from '../playwright.config';

export { owner };

/** A unique suffix so that specs never collide on names. */
export function unique(prefix: string): string {
  return `${prefix}${Date.now().toString(36)}${Math.floor(Math.random() * 1e4)}`;
}

export async function signIn(page: Page, email: string, password: string) {
  await page.goto('/sign-in');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

/** An access token of the owner, made through the API with HTTP Basic. */
export async function ownerApiToken(request: APIRequestContext): Promise<string> {
  const res = await request.post('/api/v1/access-tokens', {
    headers: { Authorization: `Basic ${Buffer.from(`${owner.email}:${owner.password}`).toString('base64')}` },
    data: { name: unique('e2e-') },
  });
  expect(res.status()).toBe(201);
  return (await res.json()).token as string;
}

/** Creates an admin through the API and returns its credentials. */
export async function createAdmin(request: APIRequestContext, role: 'Owner' | 'Contributor' | 'Reader') {
  const token = await ownerApiToken(request);
  const admin = { email: `${unique(role.toLowerCase())}@canopy.test`, password: 'a-long-password-123', name: `${role} tester`, role };
  const res = await request.post('/api/v1/admins', { headers: { Authorization: `Bearer ${token}` }, data: admin });
  expect(res.status()).toBe(201);
  return admin;
}

/** A registry name (letters and digits only) that no other spec uses. */
export const registryName = (prefix: string) => unique(prefix).slice(0, 40);

/** The REST API as the Owner, to make what a test needs but does not exercise through the UI. */
export async function ownerRestApi(request: APIRequestContext) {
  const headers = { Authorization: `Bearer ${await ownerApiToken(request)}` };
  const post = async (path: string, data: unknown) => {
    const res = await request.post(`/api/v1${path}`, { headers, data });
    expect(res.status(), await res.text()).toBe(201);
  };
  return {
    cloud: (name: string) => post('/registries', { name, loginServer: `${name.toLowerCase()}.azurecr.io`, region: 'westus2' }),
    connected: (registry: string, name: string, parent: string | null, mode: 'ReadWrite' | 'ReadOnly' = 'ReadWrite') =>
      post(`/registries/${registry}/connected-registries`, {
        name,
        parent,
        mode,
        loginServer: `${name.toLowerCase()}.factory.local:8080`,
        repositories: ['library/hello-world'],
      }),
    scopeMap: (registry: string, name: string, actions: string[]) => post(`/registries/${registry}/scope-maps`, { name, actions }),
    token: (registry: string, name: string, scopeMap: string) => post(`/registries/${registry}/tokens`, { name, scopeMap }),
  };
}

/** The REST API as the owner: `send(method, path, body, status)` checks the status (201 for POST, 204 for DELETE, else 200) and answers the JSON. */
export async function ownerApi(request: APIRequestContext) {
  const bearer = await ownerApiToken(request);
  return async (
    method: 'GET' | 'POST' | 'PATCH' | 'DELETE',
    path: string,
    data?: unknown,
    status = method === 'POST' ? 201 : method === 'DELETE' ? 204 : 200,
  ) => {
    const res = await request.fetch(`/api/v1${path}`, { method, headers: { Authorization: `Bearer ${bearer}` }, data });
    expect(res.status(), `${method} ${path}: ${await res.text()}`).toBe(status);
    return res.status() === 204 ? null : res.json();
  };
}
export type OwnerApi = Awaited<ReturnType<typeof ownerApi>>;

/** A new cloud registry in westus2, made through the API; its name. */
export async function newCloudRegistry(send: OwnerApi): Promise<string> {
  const name = unique('cloud');
  await send('POST', '/registries', { name, loginServer: `${name.toLowerCase()}.azurecr.io`, region: 'westus2' });
  return name;
}

/**
 * Closes the open one-time reveal as an admin who copied nothing: it asks first ("Close without
 * copying?"), and the admin confirms.
 */
export async function closeWithoutCopying(page: Page) {
  // the question is one more step for the test that reveals something: time for it on a loaded machine
  test.info().setTimeout(test.info().timeout + 15_000);
  const reveal = page.getByTestId('one-time-dialog');
  await reveal.getByRole('button', { name: 'I have copied it' }).click();
  await page.getByRole('alertdialog', { name: 'Close without copying?' }).getByRole('button', { name: 'Close without copying' }).click();
  await expect(reveal).toHaveCount(0);
}

/**
 * The lightness (0 to 1) of a computed colour: the build writes Tailwind's oklch colours as lab(),
 * and plain white or black as rgb() (then the luma of its channels).
 */
export function lightness(colour: string): number {
  const rgb = /^rgba?\((\d+), (\d+), (\d+)/.exec(colour);
  if (rgb) return (0.2126 * Number(rgb[1]) + 0.7152 * Number(rgb[2]) + 0.0722 * Number(rgb[3])) / 255;
  const match = /^(lab|oklch)\(([\d.]+)(%?)/.exec(colour);
  if (!match) throw new Error(`not an rgb(), lab() or oklch() colour: ${colour}`);
  const value = Number(match[2]);
  return match[1] === 'lab' || match[3] === '%' ? value / 100 : value;
}
