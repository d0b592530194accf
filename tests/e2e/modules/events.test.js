import assert from 'node:assert/strict';
import {beforeEach, mock, test} from 'node:test';

import {FakeWebSocket} from './fakes.js';

const {LiveEvents} = await import('../../../web/shared/events.js');

function start() {
  const events = new LiveEvents({token: 'booth-token', url: 'ws://127.0.0.1:8080/api/v1/events',
                                 WebSocketImpl: FakeWebSocket});
  const seen = [];
  for (const type of ['session.ready', 'queue.changed', 'connection', 'unauthorized']) {
    events.addEventListener(type, (e) => seen.push([type, e.detail]));
  }
  events.start();
  return {events, seen};
}

beforeEach(() => FakeWebSocket.reset());

test('says hello with the token and dispatches pushed events by type', () => {
  const {seen} = start();
  const ws = FakeWebSocket.last();
  assert.equal(ws.url, 'ws://127.0.0.1:8080/api/v1/events');
  ws.open();
  assert.deepEqual(ws.sent, [{type: 'hello', token: 'booth-token'}]);
  ws.receive({type: 'session.ready', session_id: 's1'});
  ws.onmessage({data: 'not json'});
  ws.receive({type: 'queue.changed'});
  assert.deepEqual(seen, [['connection', true],
                          ['session.ready', {type: 'session.ready', session_id: 's1'}],
                          ['queue.changed', {type: 'queue.changed'}]]);
});

test('reconnects after a drop, and stops for good on 4401', () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const {seen} = start();
    FakeWebSocket.last().open();
    FakeWebSocket.last().receive({type: 'queue.changed'});
    FakeWebSocket.last().drop(1006);
    assert.deepEqual(seen.at(-1), ['connection', false]);
    mock.timers.tick(500);
    assert.equal(FakeWebSocket.instances.length, 2);
    FakeWebSocket.last().open();
    assert.deepEqual(FakeWebSocket.last().sent, [{type: 'hello', token: 'booth-token'}]);
    FakeWebSocket.last().drop(4401);
    assert.deepEqual(seen.at(-1), ['unauthorized', null]);
    mock.timers.tick(60000);
    assert.equal(FakeWebSocket.instances.length, 2);
  } finally {
    mock.timers.reset();
  }
});

test('stop closes and does not come back', () => {
  mock.timers.enable({apis: ['setTimeout']});
  try {
    const {events} = start();
    const ws = FakeWebSocket.last();
    ws.open();
    events.stop();
    assert.equal(ws.closed.code, 1000);
    mock.timers.tick(60000);
    assert.equal(FakeWebSocket.instances.length, 1);
  } finally {
    mock.timers.reset();
  }
});
