// Debian's Chromium driven by playwright-core, with the flags of ../shared/ENVIRONMENT.md (no
// GPU, no QUIC, nothing fetched in the background). One home for every browser run: the browser
// tests (test/browser/portalStack.ts), the page benchmark (bench/src/portalPages.ts) and the
// create-app check (scripts/create-app-check.mjs). `npx playwright install` cannot download
// browsers here, so it is always /usr/bin/chromium.
'use strict';

// CommonJS, so that the TypeScript tests and the benchmark can require it as the scripts import it.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { chromium } = require('playwright-core');

const CHROMIUM_PATH = '/usr/bin/chromium';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Chromium with a fresh profile (playwright's `launch` makes a temporary user data dir).
 * @returns {Promise<import('playwright-core').Browser>}
 */
function launchChromium() {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

module.exports = { CHROMIUM_PATH, CHROMIUM_ARGS, launchChromium };
