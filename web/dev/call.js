// The call test page: joins the call session of ?join_token through ?signaling_url and shows
// both videos. For the end-to-end tests, window.vgStats() answers what getStats() proves:
// {videoFramesDecoded, audioPacketsReceived, connected_ms, first_frame_ms} (times from the join,
// null until they happen), and window.vgCall is the CallClient.
// With ?session_id and a bearer token in the fragment (#bearer=...), the page asks for the join
// itself (POST /api/v1/sessions/{id}/join on its own origin) and again whenever the call moves to
// another node; window.vgEvents lists what happened ({at_ms, what}) for the tests.
import {CallClient} from '../shared/signaling.js';

const params = new URLSearchParams(location.search);
const $ = (id) => document.getElementById(id);
const log = (text) => {
  $('log').textContent += `${(performance.now() / 1000).toFixed(3)} ${text}\n`;
};

const timing = {joinStart: null, connected: null, firstFrame: null};

async function inboundTotals(call) {
  const totals = {videoFramesDecoded: 0, audioPacketsReceived: 0};
  const stats = await call.getStats();
  stats?.forEach((report) => {
    if (report.type !== 'inbound-rtp') return;
    if (report.kind === 'video') totals.videoFramesDecoded += report.framesDecoded || 0;
    if (report.kind === 'audio') totals.audioPacketsReceived += report.packetsReceived || 0;
  });
  return totals;
}

const events = [];
window.vgEvents = events;
const note = (what) => events.push({at_ms: Math.round(performance.now()), what});

// POST /sessions/{id}/join through the page's origin, with the bearer of the fragment.
function joiner(sessionId) {
  const bearer = new URLSearchParams(location.hash.slice(1)).get('bearer');
  return async () => {
    const response = await fetch(`/api/v1/sessions/${encodeURIComponent(sessionId)}/join`, {
      method: 'POST', headers: {Authorization: `Bearer ${bearer}`}});
    if (!response.ok) {
      const error = new Error(`join answered ${response.status}`);
      error.status = response.status;
      throw error;
    }
    const join = await response.json();
    note(`join ${join.signaling_url}`);
    log(`join answered ${join.signaling_url}`);
    return join;
  };
}

async function main() {
  const sessionId = params.get('session_id');
  const rejoin = sessionId ? joiner(sessionId) : null;
  const first = rejoin ? await rejoin() : null;
  const signalingUrl = first?.signaling_url || params.get('signaling_url') || '/rtc/v1';
  const joinToken = first?.join_token || params.get('join_token');
  if (!joinToken) {
    log('no join_token in the address');
    return;
  }
  const iceServers = first?.ice_servers ||
      (params.has('ice_servers') ? JSON.parse(params.get('ice_servers')) : []);
  const localStream = await navigator.mediaDevices.getUserMedia({audio: true, video: true});
  $('local').srcObject = localStream;

  const call = new CallClient({signalingUrl, joinToken, iceServers, localStream, rejoin});
  window.vgCall = call;
  window.vgStats = async () => ({
    ...(await inboundTotals(call)),
    state: call.state,
    connected_ms: timing.connected === null ? null : Math.round(timing.connected - timing.joinStart),
    first_frame_ms:
      timing.firstFrame === null ? null : Math.round(timing.firstFrame - timing.joinStart),
  });

  call.addEventListener('state', (e) => {
    $('state').textContent = e.detail;
    log(`state ${e.detail}`);
    note(`state ${e.detail}`);
    if (e.detail === 'connected' && timing.connected === null) timing.connected = performance.now();
  });
  call.addEventListener('joined', (e) => log(`joined as ${e.detail.role}`));
  call.addEventListener('participant', (e) => log(`${e.detail.role} ${e.detail.event}`));
  call.addEventListener('error', (e) => log(`error ${e.detail.code}: ${e.detail.message}`));
  call.addEventListener('reconnecting', (e) => {
    log(`reconnecting (${e.detail.reason})`);
    note(`reconnecting ${e.detail.reason}`);
  });
  call.addEventListener('chat', (e) => log(`chat: ${e.detail}`));
  call.addEventListener('track', (e) => {
    log(`remote ${e.detail.track.kind} track`);
    $('remote').srcObject = call.remoteStream;
  });
  $('chat').addEventListener('submit', (e) => {
    e.preventDefault();
    if (call.sendChat($('chat-text').value)) $('chat-text').value = '';
  });

  // The first decoded frame, seen in the stats: what the person in front of the screen sees.
  const poll = setInterval(async () => {
    if ((await inboundTotals(call)).videoFramesDecoded > 0) {
      timing.firstFrame = performance.now();
      log('first remote video frame decoded');
      clearInterval(poll);
    }
  }, 50);

  timing.joinStart = performance.now();
  await call.start();
}

main().catch((error) => log(`failed: ${error}`));
