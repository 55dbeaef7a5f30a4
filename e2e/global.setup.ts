import { expect, test as setup } from '@playwright/test';
import { owner, signIn } from './helpers';

// The first admin was bootstrapped from CANOPY_ADMIN_EMAIL / CANOPY_ADMIN_PASSWORD when the
// server started on an empty database. Sign in as that Owner once and save the session.
setup('bootstrap owner signs in', async ({ page }) => {
  await signIn(page, owner.email, owner.password);
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  await expect(page.getByTestId('current-admin')).toHaveText(owner.email);
  await page.context().storageState({ path: 'e2e/.auth/owner.json' });
});
