// Headless Firefox ESR (Debian's firefox-esr) driven through WebDriver BiDi by puppeteer-core, with
// the preferences ../../../shared/TESTING.md lists for a call on loopback with fake devices. Each
// person gets a browser of their own: a new profile, as on their own machine.
import puppeteer from 'puppeteer-core';

const PREFS = {
  'media.navigator.streams.fake': true,
  'media.navigator.permission.disabled': true,
  'media.peerconnection.ice.loopback': true,
  'media.peerconnection.ice.obfuscate_host_addresses': false,
  // A fake capture does not count as capturing: without these Firefox gathers only the default
  // route's address, which a loopback-only namespace does not have.
  'permissions.default.camera': 1,
  'permissions.default.microphone': 1,
  'media.autoplay.default': 0,
  'intl.accept_languages': 'fr-CA, fr',
};

export async function launchFirefox() {
  const browser = await puppeteer.launch({
    browser: 'firefox', executablePath: '/usr/bin/firefox-esr', headless: true,
    extraPrefsFirefox: PREFS, protocolTimeout: 60000,
  });
  return {
    browser,
    async newPage() {
      const page = await browser.newPage();
      await page.setViewport({width: 1280, height: 900});
      return page;
    },
    close: () => browser.close(),
  };
}
