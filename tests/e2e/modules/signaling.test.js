import assert from 'node:assert/strict';
import {beforeEach, mock, test} from 'node:test';

import {FakeMediaStream, FakePeerConnection, FakeWebSocket, settle} from './fakes.js';

globalThis.MediaStream = FakeMediaStream;
const {CallClient, webSocketUrl} = await import('../../../web/shared/signaling.js');

const camera = {kind: 'video', addEventListener() {}};
const microphone = {kind: 'audio', addEventListener() {}};

function newCall(tracks = [microphone, camera]) {
  return new CallClient({
    signalingUrl: 'ws://127.0.0.1:8080/rtc/v1', joinToken: 'token-1',
    localStream: new FakeMediaStream(tracks), WebSocketImpl: FakeWebSocket,
    RTCPeerConnectionImpl: FakePeerConnection,
  });
}

function events(call) {
  const seen = [];
  for (const type of ['state', 'participant', 'error', 'ended', 'joined']) {
    call.addEventListener(type, (e) => seen.push([type, e.detail]));
  }
  return seen;
}

// Joined and with the first offer out.
async function joined(call) {
  await call.start();
  const ws = FakeWebSocket.last();
  ws.open();
  ws.receive({type: 'joined', participant_id: 'p1', role: 'booth'});
  await settle();
  return ws;
}

beforeEach(() => {
  FakeWebSocket.reset();
  FakePeerConnection.instances = [];
});

test('signaling URLs are made absolute with a WebSocket scheme', () => {
  assert.equal(webSocketUrl('/rtc/v1', 'http://a.example/booth/'), 'ws://a.example/rtc/v1');
  assert.equal(webSocketUrl('/rtc/v1', 'https://a.example/'), 'wss://a.example/rtc/v1');
  assert.equal(webSocketUrl('wss://b.example/rtc/v1', 'http://a.example/'),
               'wss://b.example/rtc/v1');
});

test('joins with the token, then offers audio, video and the chat channel', async () => {
  const call = newCall();
  const seen = events(call);
  const ws = await joined(call);
  assert.deepEqual(ws.sent[0], {type: 'join', join_token: 'token-1'});
  assert.deepEqual(ws.sent[1], {type: 'offer', sdp: 'client offer 1'});
  const pc = FakePeerConnection.last();
  assert.deepEqual(pc.tracks, [microphone, camera]);
  assert.deepEqual(pc.transceivers, []);
  assert.equal(pc.channels[0].label, 'chat');
  assert.equal(pc.config.bundlePolicy, 'max-bundle');
  assert.deepEqual(seen.filter(([t]) => t === 'state').map(([, s]) => s), ['connecting', 'joined']);
  assert.equal(call.participantId, 'p1');

  ws.receive({type: 'answer', sdp: 'server answer'});
  await settle();
  assert.deepEqual(pc.remoteDescriptions, [{type: 'answer', sdp: 'server answer'}]);
  pc.connect('connected');
  assert.equal(call.state, 'connected');
});

test('without camera or microphone it still asks to receive both', async () => {
  const call = newCall([]);
  await joined(call);
  assert.deepEqual(FakePeerConnection.last().transceivers,
                   [{kind: 'audio', direction: 'recvonly'}, {kind: 'video', direction: 'recvonly'}]);
});

test('answers the server offers in order', async () => {
  const call = newCall();
  const ws = await joined(call);
  ws.receive({type: 'answer', sdp: 'server answer'});
  ws.receive({type: 'offer', sdp: 'server offer 2'});
  await settle();
  await settle();
  const pc = FakePeerConnection.last();
  assert.deepEqual(pc.remoteDescriptions.map((d) => d.sdp), ['server answer', 'server offer 2']);
  assert.deepEqual(ws.sent.at(-1), {type: 'answer', sdp: 'client answer'});
});

test('keeps every remote track, one stream per participant, and drops those that go', async () => {
  const call = newCall();
  await joined(call);
  const pc = FakePeerConnection.last();
  const removed = [];
  call.addEventListener('trackremoved', (e) => removed.push(e.detail.track));
  // The browser's msid streams: one per other participant, as the server's offers name them.
  const remote = (id, tracks) => Object.assign(new EventTarget(), {
    id, tracks, getTracks() { return [...this.tracks]; },
  });
  const track = (kind) => ({kind, addEventListener() {}});
  const tracks = [track('audio'), track('video'), track('audio'), track('video')];
  const agent = remote('vg-1', tracks.slice(0, 2));
  const interpreter = remote('vg-2', tracks.slice(2));
  tracks.forEach((t, i) => pc.ontrack({track: t, transceiver: {},
                                       streams: [i < 2 ? agent : interpreter]}));
  assert.deepEqual(call.remoteStream.getTracks(), tracks);
  assert.deepEqual([...call.remoteStreams.keys()], ['vg-1', 'vg-2']);

  // The interpreter left: the server's offer stopped its sections, which empties its stream.
  for (const gone of tracks.slice(2)) {
    interpreter.tracks = interpreter.tracks.filter((t) => t !== gone);
    interpreter.dispatchEvent(Object.assign(new Event('removetrack'), {track: gone}));
  }
  assert.deepEqual(call.remoteStream.getTracks(), tracks.slice(0, 2));
  assert.deepEqual(removed, tracks.slice(2));
  assert.deepEqual([...call.remoteStreams.keys()], ['vg-1']);
});

test('passes on participant events and chat', async () => {
  const call = newCall();
  const seen = events(call);
  const ws = await joined(call);
  ws.receive({type: 'participant', event: 'joined', role: 'agent'});
  assert.deepEqual(seen.at(-1), ['participant', {event: 'joined', role: 'agent'}]);
  assert.equal(call.sendChat('bonjour'), false, 'not open yet');
  const channel = FakePeerConnection.last().channels[0];
  channel.readyState = 'open';
  assert.equal(call.sendChat('bonjour'), true);
  assert.deepEqual(channel.sent, ['bonjour']);
});

test('joins again after the signaling drops, with a new peer connection', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const call = newCall();
    const first = await joined(call);
    const firstPc = FakePeerConnection.last();
    first.drop();
    assert.equal(call.state, 'reconnecting');
    assert.ok(firstPc.closed);
    assert.equal(FakeWebSocket.instances.length, 1, 'waits before reconnecting');
    mock.timers.tick(500);
    const second = FakeWebSocket.last();
    assert.notEqual(second, first);
    second.open();
    assert.deepEqual(second.sent[0], {type: 'join', join_token: 'token-1'});
    second.receive({type: 'joined', participant_id: 'p2', role: 'booth'});
    await settle();
    assert.notEqual(FakePeerConnection.last(), firstPc);
    assert.deepEqual(second.sent[1], {type: 'offer', sdp: 'client offer 1'});
  } finally {
    mock.timers.reset();
  }
});

test('a failed media path restarts ICE, and joins again when that fails too', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const call = newCall();
    const ws = await joined(call);
    ws.receive({type: 'answer', sdp: 'server answer'});
    await settle();
    const pc = FakePeerConnection.last();
    pc.connect('failed');
    await settle();
    assert.deepEqual(ws.sent.at(-1), {type: 'offer', sdp: 'client offer 2'});
    assert.equal(ws.closed, null, 'the same signaling and peer connection');
    pc.connect('failed');
    assert.ok(ws.closed);
    assert.ok(pc.closed);
    mock.timers.tick(500);
    assert.equal(FakeWebSocket.instances.length, 2);
  } finally {
    mock.timers.reset();
  }
});

test('ICE disconnected for a few seconds restarts ICE on the same peer connection', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const call = newCall();
    const restarts = [];
    call.addEventListener('icerestart', () => restarts.push(Date.now()));
    const ws = await joined(call);
    ws.receive({type: 'answer', sdp: 'server answer'});
    await settle();
    const pc = FakePeerConnection.last();
    pc.ice('connected');
    // A short blip heals by itself: no restart.
    pc.ice('disconnected');
    mock.timers.tick(1000);
    pc.ice('connected');
    mock.timers.tick(5000);
    await settle();
    assert.equal(pc.offers, 1);
    pc.ice('disconnected');
    mock.timers.tick(3000);
    await settle();
    assert.equal(restarts.length, 1);
    assert.deepEqual(pc.offerOptions.at(-1), {iceRestart: true});
    assert.deepEqual(ws.sent.at(-1), {type: 'offer', sdp: 'client offer 2'});
    ws.receive({type: 'answer', sdp: 'restart answer'});
    await settle();
    assert.deepEqual(pc.remoteDescriptions.at(-1), {type: 'answer', sdp: 'restart answer'});
    assert.equal(pc.signalingState, 'stable');
    pc.ice('connected');
    mock.timers.tick(60000);
    assert.equal(FakeWebSocket.instances.length, 1, 'no new join');
    assert.equal(FakePeerConnection.instances.length, 1);

    // Not connected again within the limit: a new join.
    pc.ice('failed');
    await settle();
    assert.equal(restarts.length, 2);
    mock.timers.tick(15000);
    assert.ok(ws.closed);
  } finally {
    mock.timers.reset();
  }
});

test('a server offer crossing the ICE restart is answered first, then the restart offered again',
     async () => {
       const call = newCall();
       const ws = await joined(call);
       ws.receive({type: 'answer', sdp: 'server answer'});
       await settle();
       const pc = FakePeerConnection.last();
       pc.ice('failed');
       await settle();
       assert.deepEqual(ws.sent.at(-1), {type: 'offer', sdp: 'client offer 2'});
       ws.receive({type: 'offer', sdp: 'server offer 2'});
       ws.receive({type: 'error', code: 'unexpected_offer', message: 'answer it, then offer again'});
       for (let i = 0; i < 5; i++) await settle();
       assert.deepEqual(pc.localDescriptions.slice(-4).map((d) => d.type),
                        ['offer', 'rollback', 'answer', 'offer']);
       assert.deepEqual(ws.sent.slice(-2), [{type: 'answer', sdp: 'client answer'},
                                            {type: 'offer', sdp: 'client offer 3'}]);
       assert.deepEqual(pc.offerOptions.at(-1), {iceRestart: true});
       ws.receive({type: 'answer', sdp: 'restart answer'});
       await settle();
       assert.equal(pc.signalingState, 'stable');
       pc.ice('connected');
       call.leave();
     });

test('stops for good when replaced by another page, refused, or leaving', async () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    for (const ending of [{type: 'bye', reason: 'replaced'},
                          {type: 'error', code: 'unauthorized', message: 'expired'}]) {
      FakeWebSocket.reset();
      const call = newCall();
      const seen = events(call);
      const ws = await joined(call);
      ws.receive(ending);
      ws.drop(4401);
      mock.timers.tick(60000);
      assert.equal(FakeWebSocket.instances.length, 1, JSON.stringify(ending));
      assert.equal(call.state, 'ended');
      assert.equal(seen.find(([t]) => t === 'ended')[1], ending.reason || ending.code);
    }
    FakeWebSocket.reset();
    const call = newCall();
    const ws = await joined(call);
    call.leave();
    assert.deepEqual(ws.sent.at(-1), {type: 'leave'});
    assert.ok(ws.closed);
    mock.timers.tick(60000);
    assert.equal(FakeWebSocket.instances.length, 1);
  } finally {
    mock.timers.reset();
  }
});
