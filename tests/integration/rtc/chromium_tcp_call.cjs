// Two headless Chromium pages on a network that drops every UDP packet (an nft rule in this
// private namespace) call each other through our media engine (vg_media_harness): only the
// passive ICE-TCP candidate of our answer (RFC 6544, same port as UDP) can carry the call. Both
// pages must decode the other's video and receive its audio over a selected pair that is TCP.
//   node chromium_tcp_call.cjs PATH/TO/vg_media_harness   (inside unshare -n: see run.sh)
'use strict';
const { startHarness } = require('./harness.cjs');
const { launch, join, stats, waitForMedia, nft, leave, pass } = require('./chromium_pages.cjs');

const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 90000);
let chromium;

function fail(message) {
  console.error(`FAIL: ${message}`);
  if (chromium) chromium.close().catch(() => {});
  process.exit(1);
}

async function main() {
  nft('add', 'table', 'inet', 'vg_no_udp');
  nft('add', 'chain', 'inet', 'vg_no_udp', 'in', '{ type filter hook input priority 0; }');
  nft('add', 'rule', 'inet', 'vg_no_udp', 'in', 'meta', 'l4proto', 'udp', 'drop');
  const harness = startHarness(harnessPath, fail);
  const ready = await harness.expectLine((e) => e.line.startsWith('READY'));
  const port = Number(ready.line.split(' ')[1].split(':').pop());
  chromium = await launch();
  const booth = await chromium.page();
  const agent = await chromium.page();
  const started = Date.now();
  const boothJoin = await join(harness, booth, 'call-tcp', 'booth');
  const agentJoin = await join(harness, agent, 'call-tcp', 'agent');
  const candidates = boothJoin.sdp.split('\r\n').filter((l) => l.startsWith('a=candidate:'));
  if (candidates.length !== 2 || !/ udp /.test(candidates[0]) ||
      !new RegExp(` tcp \\d+ 127\\.0\\.0\\.1 ${port} typ host tcptype passive$`).test(candidates[1]))
    fail(`answer candidates: ${JSON.stringify(candidates)}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${boothJoin.id}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${agentJoin.id}`);
  console.log(`connected over TCP after ${Date.now() - started} ms`);
  const [b, a] = await waitForMedia([booth, agent], 30000, fail);
  console.log(`first media both ways after ${Date.now() - started} ms`);
  for (const [side, s] of [['booth', b], ['agent', a]]) {
    if (!s.pair || s.pair.local.protocol !== 'tcp' || s.pair.remote.protocol !== 'tcp' ||
        s.pair.remote.port !== port)
      fail(`${side}'s selected pair is not our TCP candidate: ${JSON.stringify(s.pair)}`);
  }
  // A flowing call, not a few packets: a second of video and audio, and its bitrate measured.
  await new Promise((r) => setTimeout(r, 3000));
  const [b2, a2] = await Promise.all([stats(booth), stats(agent)]);
  for (const [side, before, after] of [['booth', b, b2], ['agent', a, a2]]) {
    const kbps = Math.round(((after.videoBytes - before.videoBytes) * 8) / 3000);
    console.log(`${side}: ${after.framesDecoded} frames decoded, ${after.audioPackets} audio ` +
                `packets, ${kbps} kb/s of video over ${JSON.stringify(after.pair)}`);
    if (after.framesDecoded < 25 || after.audioPackets < 40)
      fail(`${side}: media stopped: ${JSON.stringify(after)}`);
  }
  await leave(harness, [boothJoin.id, agentJoin.id]);
  harness.send('STATS\n');
  const released = await harness.expectLine((e) => e.line.startsWith('STATS '));
  if (released.line !== 'STATS 0 0 0 0') fail(`not released: ${released.line}`);
  await pass(chromium, harness, deadline);
}

main().catch((error) => fail(error.stack || String(error)));
