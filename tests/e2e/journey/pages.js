// What every journey page shares: its console kept (errors fail the test), accessibility checked
// with axe-core on each screen, and a screenshot of each screen.
import assert from 'node:assert/strict';
import {readFileSync, mkdirSync} from 'node:fs';
import {createRequire} from 'node:module';
import {dirname, join} from 'node:path';
import {fileURLToPath} from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const require = createRequire(import.meta.url);
const axeSource = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
// The artifacts folder by default; VG_SCREENSHOT_DIR=docs/screenshots refreshes the README's.
export const screenshotDir = process.env.VG_SCREENSHOT_DIR ||
                             join(process.env.VG_E2E_ARTIFACTS || join(here, '..', 'artifacts'),
                                  'screenshots');

// Tracks a page's console: errors from the app fail the test. Chromium's own lines for an HTTP
// answer the API gave on purpose ("Failed to load resource: ... 404") are not the app's errors.
export function watchConsole(page, name) {
  const errors = [];
  const lines = [];
  page.on('console', (message) => {
    const text = message.text();
    lines.push(`[${message.type()}] ${text}`);
    if (message.type() === 'error' && !/^Failed to load resource: the server responded/.test(text)) {
      errors.push(text);
    }
  });
  page.on('pageerror', (error) => {
    lines.push(`[pageerror] ${error}`);
    errors.push(String(error));
  });
  return {
    name,
    errors,
    lines,
    assertClean() {
      assert.deepEqual(errors, [], `${name}: console errors:\n${errors.join('\n')}`);
    },
  };
}

// axe-core on what the page shows now: no serious or critical WCAG 2.1 A/AA violation. Injected
// through the DevTools protocol, which the page's CSP (no inline scripts) does not apply to.
export async function checkAccessibility(page, screen) {
  await page.evaluate(axeSource);
  const result = await page.evaluate(() => globalThis.axe.run(document, {
    runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']},
    resultTypes: ['violations'],
  }));
  const bad = result.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const summary = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ` +
                                 v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n    '));
  assert.deepEqual(summary, [], `${screen}: accessibility violations`);
}

export async function capture(page, name) {
  mkdirSync(screenshotDir, {recursive: true});
  await page.screenshot({path: join(screenshotDir, `${name}.png`)});
}

// Screenshot and accessibility check of one screen.
export async function screen(page, name) {
  await capture(page, name);
  await checkAccessibility(page, name);
}

// Polls fn() until it answers something truthy.
export async function eventually(fn, {timeout = 30000, interval = 250, what = 'condition'} = {}) {
  const deadline = Date.now() + timeout;
  let last;
  for (;;) {
    last = await fn();
    if (last) return last;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what} (last: ${JSON.stringify(last)})`);
    await new Promise((resolve) => setTimeout(resolve, interval));
  }
}
