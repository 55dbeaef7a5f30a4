import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';
import { CHROMIUM_ARGS } from './scripts/chromium-args';

// Browser tests run in Debian's Chromium (Playwright cannot download its own browsers here)
// against a production build started as `npm start` does. scripts/test.mjs chooses the
// database: E2E_DATABASE_URL (a fresh database on a PostgreSQL server) or E2E_DATA_DIR
// (an embedded PGlite in a temporary folder).
const port = Number(process.env.E2E_PORT ?? 3210);
export const baseURL = `http://localhost:${port}`;
export const owner = { email: 'owner@canopy.test', password: 'owner-password-for-e2e' };

const serverEnv: Record<string, string> = {
  PORT: String(port),
  NODE_ENV: 'production',
  NEXT_TELEMETRY_DISABLED: '1',
  CANOPY_ADMIN_EMAIL: owner.email,
  CANOPY_ADMIN_PASSWORD: owner.password,
  CANOPY_PUBLIC_URL: baseURL,
  NEXTAUTH_SECRET: 'e2e-only-secret-0123456789abcdef0123456789',
  // the webhook spec's receiver listens on loopback
  CANOPY_WEBHOOK_ALLOW_PRIVATE: 'true',
};
if (process.env.E2E_DATABASE_URL) serverEnv.DATABASE_URL = process.env.E2E_DATABASE_URL;
else serverEnv.CANOPY_DATA_DIR = process.env.E2E_DATA_DIR ?? '.canopy/e2e';

// The first-run spec sees the suite's database before any other spec has written to it (no cloud
// registry yet): its own project, which every other browser project depends on, runs it right after
// the sign-in and before them, whatever the files are called. A renamed file must not quietly join
// the other specs (it would then run in any order): the configuration refuses to load without it.
const FIRST_RUN_SPEC = 'first-run.spec.ts';
if (!existsSync(new URL(`./e2e/${FIRST_RUN_SPEC}`, import.meta.url)))
  throw new Error(`playwright.config.ts: e2e/${FIRST_RUN_SPEC} is missing (renamed? update FIRST_RUN_SPEC)`);
const firstRun = new RegExp(`/${FIRST_RUN_SPEC.replaceAll('.', '\\.')}$`);

export default defineConfig({
  testDir: 'e2e',
  fullyParallel: false,
  workers: 1,
  retries: 0,
  // long flows (a three-level hierarchy built in the form) need room on a loaded 2-core machine;
  // a passing test never waits for this
  timeout: 150_000,
  expect: { timeout: 10_000 },
  reporter: process.env.CI ? [['list']] : [['list']],
  use: {
    baseURL,
    trace: 'retain-on-failure',
    screenshot: 'only-on-failure',
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: 'setup', testMatch: /global\.setup\.ts/ },
    { name: 'first-run', testMatch: firstRun, dependencies: ['setup'], use: { storageState: 'e2e/.auth/owner.json' } },
    {
      name: 'chromium',
      testIgnore: [/global\.setup\.ts/, /\.mobile\.spec\.ts/, firstRun],
      dependencies: ['setup', 'first-run'],
      use: { storageState: 'e2e/.auth/owner.json' },
    },
    // a phone's width (390 px): every main page without horizontal page overflow, the Menu button
    {
      name: 'mobile',
      testMatch: /\.mobile\.spec\.ts/,
      dependencies: ['setup', 'first-run'],
      use: { storageState: 'e2e/.auth/owner.json', viewport: { width: 390, height: 844 }, hasTouch: true },
    },
  ],
  webServer: {
    command: 'node --import ./scripts/register.mjs scripts/start.ts',
    url: `${baseURL}/api/health`,
    timeout: 180_000,
    reuseExistingServer: false,
    stdout: 'pipe',
    stderr: 'pipe',
    env: serverEnv,
  },
});
