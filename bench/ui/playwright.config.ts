import { defineConfig } from '@playwright/test';
import base from '../../playwright.config';

// The renderer responsiveness benchmark (npm run bench:ui): not part of npm test.
export default defineConfig({
  ...base,
  testDir: '.',
  testMatch: '*.bench.ts',
  timeout: 30 * 60_000,
  outputDir: '../../test-results/bench-ui',
});
