// Debian's Chromium, headless, with the flags that ../shared/TESTING.md found necessary here: a
// fake camera and microphone, ICE on loopback, no traffic of its own.
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import {join} from 'node:path';
import {chromium} from 'playwright-core';

const ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection', '--disable-features=LocalNetworkAccessChecks',
  '--autoplay-policy=no-user-gesture-required',
];

export async function launchBrowser() {
  const userDataDir = mkdtempSync(join(tmpdir(), 'vg-e2e-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ARGS,
    permissions: ['camera', 'microphone'],
  });
  return {
    context,
    userDataDir,  // on the browser's command line: tests find its processes by it
    async newPage() {
      return context.newPage();
    },
    async close() {
      await context.close();
      rmSync(userDataDir, {recursive: true, force: true});
    },
  };
}
