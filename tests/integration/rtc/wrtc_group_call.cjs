// Three libwebrtc peers (npm @roamhq/wrtc) in the group call scenario (group_call.cjs).
//   node wrtc_group_call.cjs PATH/TO/vg_media_harness
'use strict';
const { startHarness } = require('./harness.cjs');
const { runGroupCall } = require('./group_call.cjs');
const { makePeer, inboundStreams } = require('./wrtc_peer.cjs');

const deadline = setTimeout(() => fail('timed out'), 90000);

function fail(message) {
  console.error(`FAIL: ${message}`);
  process.exit(1);
}

const harness = startHarness(process.argv[2], fail);

function wrtcPeer(name) {
  const { pc, close } = makePeer(name);
  return {
    name,
    close,
    inbound: () => inboundStreams(pc),
    async join(harness, room) {
      await pc.setLocalDescription(await pc.createOffer());
      const { id, sdp } = await harness.join(room, name, pc.localDescription.sdp);
      await pc.setRemoteDescription({ type: 'answer', sdp });
      return id;
    },
    async answer(sdp) {
      await pc.setRemoteDescription({ type: 'offer', sdp });
      await pc.setLocalDescription(await pc.createAnswer());
      return pc.localDescription.sdp;
    },
  };
}

runGroupCall(harness, wrtcPeer, fail).then(() => {
  harness.end();
  clearTimeout(deadline);
  console.log('PASS');
  process.exit(0);
}, (error) => fail(error.stack || String(error)));
