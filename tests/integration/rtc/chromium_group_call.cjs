// Three headless Chromium pages (fake camera and microphone) in the group call scenario
// (group_call.cjs): what booths and agents run, answering our offers as signaling.js does.
//   node chromium_group_call.cjs PATH/TO/vg_media_harness
'use strict';
const { startHarness } = require('./harness.cjs');
const { runGroupCall } = require('./group_call.cjs');
const { launch, join } = require('./chromium_pages.cjs');

const deadline = setTimeout(() => fail('timed out'), 90000);
let browser;

function fail(message) {
  console.error(`FAIL: ${message}`);
  if (browser) browser.close().catch(() => {});
  process.exit(1);
}

const harness = startHarness(process.argv[2], fail);

async function chromiumPeer(name) {
  const page = await browser.page();
  return {
    name,
    join: async (harnessToJoin, room) => (await join(harnessToJoin, page, room, name)).id,
    answer: (sdp) => page.evaluate(async (text) => {
      await window.pc.setRemoteDescription({ type: 'offer', sdp: text });
      await window.pc.setLocalDescription(await window.pc.createAnswer());
      return window.pc.localDescription.sdp;
    }, sdp),
    inbound: () => page.evaluate(async () => {
      const streams = [];
      (await window.pc.getStats()).forEach((r) => {
        if (r.type !== 'inbound-rtp') return;
        streams.push({ kind: r.kind, ssrc: r.ssrc, packets: r.packetsReceived || 0,
                       frames: r.framesDecoded || 0 });
      });
      return streams;
    }),
    close: () => { page.close().catch(() => {}); },
  };
}

async function main() {
  browser = await launch();
  await runGroupCall(harness, chromiumPeer, fail);
  await browser.close();
  harness.end();
  clearTimeout(deadline);
  console.log('PASS');
  process.exit(0);
}

main().catch((error) => fail(error.stack || String(error)));
