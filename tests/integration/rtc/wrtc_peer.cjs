// A libwebrtc peer (npm @roamhq/wrtc) with a synthetic camera and microphone, and what its
// getStats() shows it received, for the media tests that drive vg_media_harness.
'use strict';
const wrtc = require('@roamhq/wrtc');

function makePeer(name, configuration = { iceServers: [] }) {
  const pc = new wrtc.RTCPeerConnection(configuration);
  const video = new wrtc.nonstandard.RTCVideoSource();
  const audio = new wrtc.nonstandard.RTCAudioSource();
  const stream = new wrtc.MediaStream();
  const videoTrack = video.createTrack();
  const audioTrack = audio.createTrack();
  stream.addTrack(audioTrack);
  stream.addTrack(videoTrack);
  pc.addTrack(audioTrack, stream);
  pc.addTrack(videoTrack, stream);
  const width = 320;
  const height = 240;
  const frame = { width, height, data: new Uint8ClampedArray(width * height * 1.5) };
  let tick = 0;
  const samples = new Int16Array(480);
  const timers = [
    setInterval(() => {
      tick++;
      frame.data.fill((tick * 7) % 255, 0, width * height);  // a changing luma plane
      video.onFrame(frame);
    }, 50),
    setInterval(() => {
      for (let i = 0; i < samples.length; i++) samples[i] = Math.sin((tick * 480 + i) / 10) * 8000;
      audio.onData({ samples, sampleRate: 48000, bitsPerSample: 16, channelCount: 1, numberOfFrames: 480 });
    }, 10),
  ];
  return {
    name,
    pc,
    close() {
      timers.forEach(clearInterval);
      videoTrack.stop();
      audioTrack.stop();
      pc.close();
    },
  };
}

async function inbound(pc) {
  const result = { videoFrames: 0, audioPackets: 0 };
  (await pc.getStats()).forEach((report) => {
    if (report.type !== 'inbound-rtp') return;
    const kind = report.kind || report.mediaType;
    if (kind === 'video') result.videoFrames += report.framesDecoded || 0;
    if (kind === 'audio') result.audioPackets += report.packetsReceived || 0;
  });
  return result;
}

// One entry per inbound RTP stream (one per remote track): {kind, ssrc, packets, frames}.
async function inboundStreams(pc) {
  const streams = [];
  (await pc.getStats()).forEach((report) => {
    if (report.type !== 'inbound-rtp') return;
    streams.push({ kind: report.kind || report.mediaType, ssrc: report.ssrc,
                   packets: report.packetsReceived || 0, frames: report.framesDecoded || 0 });
  });
  return streams;
}

module.exports = { makePeer, inbound, inboundStreams };
