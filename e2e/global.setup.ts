import { expect, test as setup } from '@playwright/test';
import { owner, signIn } from './helpers';

// The first admin was bootstrapped from CANOPY_ADMIN_EMAIL / CANOPY_ADMIN_PASSWORD when the
// server started on an empty database. Sign in as that Owner once and save the session.
setup('bootstrap owner signs in', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  // the server's first page after a cold start may take a while on a loaded machine
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible({ timeout: 30_000 });
  await expect(page.getByTestId('current-admin')).toHaveText(owner.email);
  await page.context().storageState({ path: 'e2e/.auth/owner.json' });
});
