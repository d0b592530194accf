// A call that survives a bad network: two headless Chromium pages in one call through our media
// engine (vg_media_harness), each over a link that loses 5% of the datagrams at random and
// delays the others by 40 ms, both ways (impaired_link.cjs: netem's `loss 5% delay 40ms` in
// user space, as this kernel has no netem).
//   - over 20 s of loss, both pages keep decoding at least 15 video frames per second;
//   - the senders learn their uplink's loss and round trip from our receiver reports;
//   - the receivers asked for packets again (inbound-rtp nackCount > 0) and the senders resent
//     (outbound-rtp retransmittedPacketsSent > 0): the server asks senders for what it missed
//     and answers receivers from its retransmission buffers (the harness's QUALITY lines), in
//     RTX, which the receivers take (inbound-rtp retransmittedPacketsReceived > 0);
//   - before, on a clean network, each sender's video climbs above 500 kb/s (within 40 s);
//   - once the loss is gone, each sender's video climbs above 500 kb/s again within 15 s.
//   node chromium_loss.cjs PATH/TO/vg_media_harness
'use strict';
const { startHarness } = require('./harness.cjs');
const { launch, join, pass } = require('./chromium_pages.cjs');
const { startLink } = require('./impaired_link.cjs');

const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 140000);
let chromium;
let link;

function fail(message) {
  console.error(`FAIL: ${message}`);
  if (link) link.close();
  if (chromium) chromium.close().catch(() => {});
  process.exit(1);
}

const harness = startHarness(harnessPath, fail);
// The fake camera at 640x480 asks for only about 500 kb/s, the very bar of the recovery check:
// at 1280x720 its encoder wants more, so the bitrate shows what the estimate allows.
const HD = { width: 1280, height: 720 };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

// The video counters of one page: what it decodes and asks for again, what it sends and resends.
const video = (page) =>
  page.evaluate(async () => {
    const v = { framesDecoded: 0, nackCount: 0, bytesSent: 0, retransmittedPacketsSent: 0,
                retransmittedPacketsReceived: 0 };
    (await window.pc.getStats()).forEach((r) => {
      // Audio is not resent: its loss shows in the receiver reports we send the sender.
      if (r.kind === 'audio' && r.type === 'remote-inbound-rtp') v.audioLostAsWeReport = r.packetsLost;
      if (r.kind !== 'video') return;
      if (r.type === 'inbound-rtp') {
        v.framesDecoded += r.framesDecoded || 0;
        v.nackCount += r.nackCount || 0;
        v.retransmittedPacketsReceived += r.retransmittedPacketsReceived || 0;
        v.pliCount = r.pliCount;
        v.freezeCount = r.freezeCount;
        v.framesDropped = r.framesDropped;
      } else if (r.type === 'outbound-rtp') {
        v.bytesSent += r.bytesSent || 0;
        v.retransmittedPacketsSent += r.retransmittedPacketsSent || 0;
      } else if (r.type === 'remote-inbound-rtp') {
        v.remoteRtt = r.roundTripTime;
        v.remoteJitter = r.jitter;
      }
    });
    return v;
  });

// Samples each page's outgoing video bitrate every second until both went above 500 kb/s:
// the milliseconds each took, or null after limitMs.
async function climb(pages, limitMs) {
  const start = Date.now();
  const climbed = { booth: 0, agent: 0 };
  let last = { booth: await video(pages.booth), agent: await video(pages.agent) };
  let lastAt = start;
  while (!(climbed.booth && climbed.agent)) {
    if (Date.now() - start > limitMs) return null;
    await sleep(1000);
    const now = { booth: await video(pages.booth), agent: await video(pages.agent) };
    const at = Date.now();
    for (const side of ['booth', 'agent']) {
      const kbps = ((now[side].bytesSent - last[side].bytesSent) * 8) / (at - lastAt);
      if (!climbed[side] && kbps > 500) climbed[side] = at - start;
    }
    last = now;
    lastAt = at;
  }
  return climbed;
}

async function main() {
  await harness.expectLine((e) => e.line.startsWith('READY'));
  link = await startLink();
  chromium = await launch();
  const pages = { booth: await chromium.page(), agent: await chromium.page() };
  const ids = {
    booth: (await join(harness, pages.booth, 'call-loss', 'booth', HD, link)).id,
    agent: (await join(harness, pages.agent, 'call-loss', 'agent', HD, link)).id,
  };
  for (const id of Object.values(ids)) await harness.expectLine((e) => e.line === `CONNECTED ${id}`);
  for (;;) {
    const [b, a] = await Promise.all([video(pages.booth), video(pages.agent)]);
    if (b.framesDecoded > 0 && a.framesDecoded > 0) break;
    await sleep(100);
  }
  // A call ramps up to its normal bitrate on a clean network first.
  const ramped = await climb(pages, 40000);
  if (!ramped) fail('video bitrate did not climb above 500 kb/s on a clean network within 40 s');
  for (const side of ['booth', 'agent'])
    console.log(`${side} sends above 500 kb/s of video ${ramped[side]} ms into the call`);

  link.impair(5, 40);
  const seconds = 20;
  const before = { booth: await video(pages.booth), agent: await video(pages.agent) };
  await sleep(seconds * 1000);
  const after = { booth: await video(pages.booth), agent: await video(pages.agent) };
  link.impair(0, 0);
  console.log(`the link lost ${link.counts.lost} datagrams and delivered ${link.counts.delivered}`);
  for (const side of ['booth', 'agent']) {
    const fps = (after[side].framesDecoded - before[side].framesDecoded) / seconds;
    console.log(`${side} under 5% loss and 40 ms: ${fps.toFixed(1)} frames/s decoded, ` +
                `nackCount ${after[side].nackCount}, retransmittedPacketsReceived ` +
                `${after[side].retransmittedPacketsReceived}, retransmittedPacketsSent ` +
                `${after[side].retransmittedPacketsSent}; its uplink as we report it: audio lost ` +
                `${after[side].audioLostAsWeReport}, rtt ${after[side].remoteRtt} s, video jitter ` +
                `${after[side].remoteJitter}; pli ${after[side].pliCount}, freezes ` +
                `${after[side].freezeCount}, dropped ${after[side].framesDropped}`);
    if (fps < 15) fail(`${side} decoded only ${fps.toFixed(1)} frames/s under loss and delay`);
    if (!(after[side].nackCount > 0)) fail(`${side} never asked for a lost packet (nackCount 0)`);
    if (!(after[side].retransmittedPacketsSent > 0)) fail(`${side} never resent a packet`);
    // Our answers to its NACKs come in RTX on their own SSRC (never the original's SRTP index).
    if (!(after[side].retransmittedPacketsReceived > 0))
      fail(`${side} received no RTX packet (retransmittedPacketsReceived 0)`);
    if (!(after[side].audioLostAsWeReport > 0))
      fail(`${side} got no receiver report counting the loss of its audio`);
    // 40 ms each way: our receiver reports must give the sender a round trip of about 80 ms.
    if (!(after[side].remoteRtt >= 0.07))
      fail(`${side} got a round trip of ${after[side].remoteRtt} s from our receiver reports`);
  }

  // Healed: each sender's video must climb above 500 kb/s within 15 s.
  const climbed = await climb(pages, 15000);
  if (!climbed) fail('video bitrate did not climb above 500 kb/s within 15 s of the loss ending');
  for (const side of ['booth', 'agent'])
    console.log(`${side} sends above 500 kb/s of video ${climbed[side]} ms after the loss ended`);

  harness.send(`LEAVE ${ids.booth}\nLEAVE ${ids.agent}\n`);
  // The server's own repair on each leg: it asked the senders for what it missed, and answered
  // the receivers' NACKs from its buffers.
  for (const [side, id] of Object.entries(ids)) {
    const q = await harness.expectLine((e) => e.line.startsWith(`QUALITY ${id} `));
    console.log(`${side}: ${q.line}`);
    const value = (name) => Number((new RegExp(`${name}=(-?\\d+)`).exec(q.line) || [])[1]);
    if (!(value('nacks_sent') > 0)) fail(`the server never asked the ${side} for a lost packet`);
    if (!(value('retransmissions_sent') > 0)) fail(`the server never resent a packet to the ${side}`);
    if (!(value('recovered') > 0)) fail(`no packet lost on the ${side}'s uplink was recovered`);
  }
  await harness.expectLine((e) => e.line === `CLOSED ${ids.booth} left`);
  await harness.expectLine((e) => e.line === `CLOSED ${ids.agent} left`);
  link.close();
  await pass(chromium, harness, deadline);
}

main().catch((error) => fail(error.stack || String(error)));
