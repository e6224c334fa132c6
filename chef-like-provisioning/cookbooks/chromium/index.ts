/** Cookbook chromium: Debian's Chromium, the headless browser the app's end-to-end tests drive (test/e2e/app-browser.test.ts). */
import { z } from 'zod';
import type { Cookbook } from '../../api';
import { installs } from '../_lib';

export const cookbook: Cookbook = {
  name: 'chromium',
  version: '1.0.0',
  // Nothing to configure: playwright-core launches /usr/bin/chromium itself.
  attributes: z.strictObject({}),
  recipes: { default: installs('chromium'), package: installs('chromium') },
};
