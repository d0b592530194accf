// A page that vanishes without saying goodbye: two headless Chromium browsers, a booth and an
// agent, in a call through our media engine (vg_media_harness); then the booth's browser is
// frozen (SIGSTOP on all its processes: no close, no DTLS alert, its sockets stay open) and
// nothing tells the server it left. Consent freshness (RFC 7675; the harness runs with a 10 s
// consent timeout instead of the product's 30 s) must remove the booth, and only the booth: its
// routes are released, the agent stays connected.
// (Dropping the booth's UDP port with nft is not enough: Chromium then moves the call to its
// ICE-TCP pair, and the server rightly follows.)
//   node chromium_consent.cjs PATH/TO/vg_media_harness   (inside unshare -n: see run.sh)
'use strict';
const { startHarness } = require('./harness.cjs');
const { launch, join, waitForMedia } = require('./chromium_pages.cjs');

const consentMs = 10000;
const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 100000);
let boothBrowser;
let agentBrowser;

function fail(message) {
  console.error(`FAIL: ${message}`);
  for (const browser of [boothBrowser, agentBrowser]) {
    try { browser?.signal('SIGKILL'); } catch { /* not started */ }
  }
  process.exit(1);
}

async function engineStats(harness) {
  harness.send('STATS\n');
  const line = (await harness.expectLine((e) => e.line.startsWith('STATS '))).line;
  const [participants, rooms, routes] = line.split(' ').slice(1).map(Number);
  return { participants, rooms, routes };
}

async function main() {
  const harness = startHarness(harnessPath, fail, ['--consent-timeout-ms', String(consentMs)]);
  await harness.expectLine((e) => e.line.startsWith('READY'));
  boothBrowser = await launch('booth');
  agentBrowser = await launch('agent');
  const booth = await boothBrowser.page();
  const agent = await agentBrowser.page();
  const boothJoin = await join(harness, booth, 'call-consent', 'booth');
  const agentJoin = await join(harness, agent, 'call-consent', 'agent');
  await harness.expectLine((e) => e.line === `CONNECTED ${boothJoin.id}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${agentJoin.id}`);
  await waitForMedia([booth, agent], 30000, fail);
  const before = await engineStats(harness);
  if (before.participants !== 2) fail(`expected 2 participants: ${JSON.stringify(before)}`);

  boothBrowser.signal('SIGSTOP');
  const vanished = Date.now();
  const closed = await Promise.race([
    harness.expectLine((e) => e.line.startsWith(`CLOSED ${boothJoin.id} `)),
    new Promise((resolve) => setTimeout(resolve, consentMs + 10000)),
  ]);
  if (!closed) fail(`booth still in the call ${consentMs + 10000} ms after it vanished`);
  const elapsed = Date.now() - vanished;
  console.log(`booth removed ${elapsed} ms after it vanished: ${closed.line}`);
  if (!/consent/.test(closed.line)) fail(`removed for another reason: ${closed.line}`);
  if (elapsed < consentMs / 2) fail(`removed after ${elapsed} ms, before its consent could expire`);

  const after = await engineStats(harness);
  console.log(`engine before ${JSON.stringify(before)}, after ${JSON.stringify(after)}`);
  if (after.participants !== 1 || after.rooms !== 1 || after.routes >= before.routes - 1)
    fail(`booth's resources not released: ${JSON.stringify(after)}`);
  const agentState = await agent.evaluate(() => window.pc.connectionState);
  if (agentState !== 'connected') fail(`agent's connection is ${agentState}`);

  harness.send(`LEAVE ${agentJoin.id}\n`);
  await harness.expectLine((e) => e.line === `CLOSED ${agentJoin.id} left`);
  const empty = await engineStats(harness);
  if (empty.participants !== 0 || empty.routes !== 0) fail(`not released: ${JSON.stringify(empty)}`);
  boothBrowser.signal('SIGKILL');
  await agentBrowser.close();
  harness.end();
  clearTimeout(deadline);
  console.log('PASS');
  process.exit(0);
}

main().catch((error) => fail(error.stack || String(error)));
