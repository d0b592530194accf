// One headless Chromium (flags of ../shared/TESTING.md, as in ../lib/browser.js) with a separate
// context per person: the booth kiosk and each agent keep their own storage and cookies, as on
// their own machines.
import {chromium} from 'playwright-core';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection', '--disable-features=LocalNetworkAccessChecks',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launchJourneyBrowser() {
  // Playwright gives the browser a new empty profile of its own and removes it on close.
  const browser = await chromium.launch({executablePath: '/usr/bin/chromium', headless: true,
                                         args: ARGS});
  return {
    browser,
    async newPage({locale = 'fr-CA', viewport = {width: 1280, height: 900}} = {}) {
      const context = await browser.newContext({locale, viewport,
                                                permissions: ['camera', 'microphone']});
      return context.newPage();
    },
    async close() {
      await browser.close();
    },
  };
}
