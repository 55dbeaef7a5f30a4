import { expect, test } from '@playwright/test';
import { baseURL } from '../playwright.config';
import { ownerApiToken } from './helpers';

test('Settings → Token service shows the realm, issuer, certificate and a registry config block', async ({ page, request }) => {
  await page.goto('/settings');
  await page.getByRole('link', { name: 'Token service →' }).click();
  await expect(page.getByRole('heading', { name: 'Token service' })).toBeVisible();
  await expect(page.getByTestId('token-realm')).toHaveText(`${baseURL}/oauth2/token`);
  const config = await page.getByTestId('distribution-config').textContent();
  expect(config).toContain(`realm: ${baseURL}/oauth2/token`);
  expect(config).toContain('rootcertbundle:');

  const download = page.waitForEvent('download');
  await page.getByRole('link', { name: 'Download PEM' }).click();
  const file = await download;
  expect(file.suggestedFilename()).toBe('canopy-token-service.pem');

  // the API serves the same facts to automation
  const token = await ownerApiToken(request);
  const res = await request.get('/api/v1/token-service', { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status()).toBe(200);
  const body = await res.json();
  expect(body.realm).toBe(`${baseURL}/oauth2/token`);
  expect(body.certificate).toMatch(/^-----BEGIN CERTIFICATE-----/);
  // and the token endpoint itself answers a request without credentials with a JSON 401 or 400
  const anonymous = await request.get('/oauth2/token?service=nowhere.example');
  expect([400, 401]).toContain(anonymous.status());
  expect(anonymous.headers()['content-type']).toContain('application/json');
});
