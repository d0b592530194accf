// A slow receiver slows its sender down: two headless Chromium pages in a call through our media
// engine (vg_media_harness). The booth's downlink becomes a slow line: everything sent to its
// port waits in a queue of 250 ms in front of a 400 kb/s link (tc htb in the test's own network
// namespace), while the agent's uplink stays clean, so the agent's browser cannot see the
// problem itself; only our estimate of the booth's downlink (from the booth's transport-cc
// feedback on what we send it), sent to the agent as a REMB, can tell it.
//   - on a clean network the agent's 720p video climbs above 500 kb/s (within 60 s: Chromium
//     starts at 360p and moves up by its own rules, which take from 1 to over 30 s on a loaded
//     machine while our estimate has not yet limited anything);
//   - with the slow line, the agent's video falls below the line's rate within 15 s and stays
//     there on average, and the booth keeps decoding at least 10 frames per second;
//   - once the line is fast again, the agent's video climbs above 500 kb/s within 15 s.
//   node chromium_slow_receiver.cjs PATH/TO/vg_media_harness
'use strict';
const { startHarness } = require('./harness.cjs');
const { launch, join, nft, tc, leave, pass } = require('./chromium_pages.cjs');

const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 170000);
const lineKbps = 400;
const HD = { width: 1280, height: 720 };
let chromium;

function unslow() {
  nft('add', 'table', 'inet', 'vgslow');  // so that deleting it never fails
  nft('delete', 'table', 'inet', 'vgslow');
  if (tc('qdisc', 'show', 'dev', 'lo').includes('htb')) tc('qdisc', 'del', 'dev', 'lo', 'root');
}

// Packets to the booth's port are marked for a 400 kb/s class with a 250 ms byte queue; all
// else goes through the default class at loopback speed.
function slow(port) {
  tc('qdisc', 'add', 'dev', 'lo', 'root', 'handle', '1:', 'htb', 'default', '1');
  tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:1', 'htb', 'rate', '10gbit',
     'quantum', '60000');
  tc('class', 'add', 'dev', 'lo', 'parent', '1:', 'classid', '1:2', 'htb', 'rate',
     `${lineKbps}kbit`, 'ceil', `${lineKbps}kbit`);
  tc('qdisc', 'add', 'dev', 'lo', 'parent', '1:2', 'handle', '2:', 'bfifo', 'limit',
     String((lineKbps * 1000) / 8 / 4));
  nft('add', 'table', 'inet', 'vgslow');
  nft('add', 'chain', 'inet', 'vgslow', 'out', '{ type filter hook output priority 0; }');
  nft('add', 'rule', 'inet', 'vgslow', 'out', 'udp', 'dport', String(port), 'meta', 'priority',
      'set', '1:2');
}

function fail(message) {
  console.error(`FAIL: ${message}`);
  try {
    unslow();
  } catch {
    // the failure said why already
  }
  if (chromium) chromium.close().catch(() => {});
  process.exit(1);
}

const harness = startHarness(harnessPath, fail);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// What a page decodes and sends, and the UDP port it receives on.
const video = (page) =>
  page.evaluate(async () => {
    const v = { framesDecoded: 0, bytesSent: 0 };
    const stats = await window.pc.getStats();
    stats.forEach((r) => {
      if (r.type === 'candidate-pair' && r.nominated && r.state === 'succeeded') {
        v.port = stats.get(r.localCandidateId).port;
        v.available = r.availableOutgoingBitrate;
      }
      if (r.kind !== 'video') return;
      if (r.type === 'inbound-rtp') v.framesDecoded += r.framesDecoded || 0;
      if (r.type === 'outbound-rtp') {
        v.bytesSent += r.bytesSent || 0;
        v.limitation = r.qualityLimitationReason;
        v.height = r.frameHeight;
      }
    });
    return v;
  });

// Samples the agent's video bitrate each second for up to `seconds`, until done(kbps) is true;
// returns the milliseconds that took (0: never) and the mean bitrate meanwhile.
async function watch(pages, what, seconds, done) {
  const start = Date.now();
  const first = await video(pages.agent);
  let last = first;
  let lastAt = start;
  for (;;) {
    await sleep(1000);
    const now = await video(pages.agent);
    const at = Date.now();
    const kbps = ((now.bytesSent - last.bytesSent) * 8) / (at - lastAt);
    console.log(`${what}: the agent sends ${Math.round(kbps)} kb/s of video, ${now.height}p ` +
                `(limited by ${now.limitation}, ${Math.round((now.available || 0) / 1000)} kb/s ` +
                'available)');
    const mean = ((now.bytesSent - first.bytesSent) * 8) / (at - start);
    if (done(kbps)) return { ms: at - start, mean };
    if (at - start >= seconds * 1000) return { ms: 0, mean };
    last = now;
    lastAt = at;
  }
}

async function main() {
  unslow();
  await harness.expectLine((e) => e.line.startsWith('READY'));
  chromium = await launch();
  const pages = { booth: await chromium.page(), agent: await chromium.page() };
  const ids = {
    booth: (await join(harness, pages.booth, 'call-slow', 'booth', HD)).id,
    agent: (await join(harness, pages.agent, 'call-slow', 'agent', HD)).id,
  };
  for (const id of Object.values(ids)) await harness.expectLine((e) => e.line === `CONNECTED ${id}`);
  for (;;) {
    const [b, a] = await Promise.all([video(pages.booth), video(pages.agent)]);
    if (b.framesDecoded > 0 && a.framesDecoded > 0) break;
    await sleep(100);
  }
  const clean = await watch(pages, 'clean', 60, (kbps) => kbps > 500);
  if (!clean.ms) fail('the agent video never climbed above 500 kb/s on a clean network');
  console.log(`the agent video climbed above 500 kb/s ${clean.ms} ms after the call started`);

  const boothPort = (await video(pages.booth)).port;
  if (!boothPort) fail('no selected candidate pair on the booth page');
  slow(boothPort);
  const fell = await watch(pages, `booth on a ${lineKbps} kb/s line`, 15, (k) => k < lineKbps);
  if (!fell.ms) fail(`the agent video did not fall below ${lineKbps} kb/s within 15 s`);
  console.log(`the agent video fell below ${lineKbps} kb/s ${fell.ms} ms after the line slowed`);
  const before = { booth: await video(pages.booth), at: Date.now() };
  const held = await watch(pages, 'still slow', 10, () => false);
  const booth = await video(pages.booth);
  const fps = ((booth.framesDecoded - before.booth.framesDecoded) * 1000) / (Date.now() - before.at);
  console.log(`on the slow line: the agent sent ${Math.round(held.mean)} kb/s of video on ` +
              `average, the booth decoded ${fps.toFixed(1)} frames/s`);
  console.log(tc('-s', 'class', 'show', 'dev', 'lo', 'classid', '1:2').trim());
  if (held.mean >= lineKbps) fail(`the agent sent ${Math.round(held.mean)} kb/s on average`);
  if (fps < 10) fail(`the booth decoded only ${fps.toFixed(1)} frames/s on the slow line`);

  unslow();
  const climbed = await watch(pages, 'line fast again', 15, (kbps) => kbps > 500);
  if (!climbed.ms) fail('the agent video did not climb above 500 kb/s within 15 s');
  console.log(`the agent video climbed above 500 kb/s ${climbed.ms} ms after the line was fast`);

  await leave(harness, [ids.booth, ids.agent]);
  await pass(chromium, harness, deadline);
}

main().catch((error) => fail(error.stack || String(error)));
