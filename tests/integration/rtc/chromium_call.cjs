// Two headless Chromium pages (fake camera and microphone) join one call through our media
// engine (vg_media_harness) and must each decode the other's video and receive its audio.
// Chromium offers AEAD_AES_128_GCM, which we choose as DTLS server: the harness log shows it.
//   node chromium_call.cjs PATH/TO/vg_media_harness
'use strict';
const { startHarness } = require('./harness.cjs');
const { launch, join, leave, pass } = require('./chromium_pages.cjs');

const harnessPath = process.argv[2];
const deadline = setTimeout(() => fail('timed out'), 90000);
let chromium;

function fail(message) {
  console.error(`FAIL: ${message}`);
  if (chromium) chromium.close().catch(() => {});
  process.exit(1);
}

const harness = startHarness(harnessPath, fail);

const inbound = (page) =>
  page.evaluate(async () => {
    const result = { framesDecoded: 0, audioPackets: 0 };
    (await window.pc.getStats()).forEach((r) => {
      if (r.type !== 'inbound-rtp') return;
      if (r.kind === 'video') {
        result.framesDecoded += r.framesDecoded || 0;
        result.videoBytes = (result.videoBytes || 0) + (r.bytesReceived || 0);
        result.frameWidth = r.frameWidth;
      }
      if (r.kind === 'audio') result.audioPackets += r.packetsReceived || 0;
    });
    return result;
  });

async function main() {
  await harness.expectLine((e) => e.line.startsWith('READY'));
  chromium = await launch();
  const booth = await chromium.page();
  const agent = await chromium.page();
  const started = Date.now();
  const boothId = (await join(harness, booth, 'call-1', 'booth')).id;
  const agentId = (await join(harness, agent, 'call-1', 'agent')).id;
  await harness.expectLine((e) => e.line === `CONNECTED ${boothId}`);
  await harness.expectLine((e) => e.line === `CONNECTED ${agentId}`);
  console.log(`connected after ${Date.now() - started} ms`);
  // As DTLS server we pick the SRTP profile, and GCM costs a fifth of AES-CM + HMAC here.
  const ciphers = await booth.evaluate(async () => {
    const found = [];
    (await window.pc.getStats()).forEach((r) => r.type === 'transport' && found.push(r.srtpCipher));
    return found;
  });
  if (!ciphers.some((c) => /AEAD_AES_128_GCM/.test(c || ''))) fail(`SRTP cipher ${ciphers}, not AEAD_AES_128_GCM`);
  for (;;) {
    const [b, a] = await Promise.all([inbound(booth), inbound(agent)]);
    if (b.framesDecoded > 0 && a.framesDecoded > 0 && b.audioPackets > 0 && a.audioPackets > 0) {
      console.log(`booth ${JSON.stringify(b)} agent ${JSON.stringify(a)} after ${Date.now() - started} ms`);
      break;
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // Chromium only raises its bitrate on our transport-wide congestion feedback: measured here,
  // about 70 kb/s at 480x360 without it, about 490 kb/s at 640x480 with it.
  await new Promise((r) => setTimeout(r, 5000));
  const before = await inbound(agent);
  await new Promise((r) => setTimeout(r, 3000));
  const after = await inbound(agent);
  console.log(`agent receives ${Math.round((after.videoBytes - before.videoBytes) * 8 / 3000)} ` +
              `kb/s of video at width ${after.frameWidth}, 8 s after the first frame`);
  const kbps = ((after.videoBytes - before.videoBytes) * 8) / 3000;
  if (kbps < 200) fail(`video stuck at ${Math.round(kbps)} kb/s: no congestion feedback?`);
  await leave(harness, [boothId, agentId]);
  await pass(chromium, harness, deadline);
}

main().catch((error) => fail(error.stack || String(error)));
