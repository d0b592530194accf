// The live events of /api/v1/events (proto/events.schema.json): says hello with a token, then
// dispatches each pushed message as an event named by its type (queue.changed, offer,
// session.ready, session.ended, presence.changed). Reconnects after a drop, with a growing delay;
// stops for good when the server refuses the token (close 4401), firing "unauthorized".
//
//   const events = new LiveEvents({token});
//   events.addEventListener('session.ready', (e) => join(e.detail.session_id));
//   events.start();

import {webSocketUrl} from './signaling.js';

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 5000, 10000];
const CLOSE_UNAUTHORIZED = 4401;

export class LiveEvents extends EventTarget {
  constructor({token, url = '/api/v1/events', WebSocketImpl = globalThis.WebSocket}) {
    super();
    this.token = token;
    this.url = webSocketUrl(url);
    this.WebSocketImpl = WebSocketImpl;
    this.ws = null;
    this.attempt = 0;
    this.stopped = true;
    this.timer = null;
    this.connected = false;
  }

  start() {
    if (!this.stopped) return;
    this.stopped = false;
    this.open();
  }

  stop() {
    this.stopped = true;
    clearTimeout(this.timer);
    const ws = this.ws;
    this.ws = null;
    ws?.close(1000);
    this.setConnected(false);
  }

  open() {
    const ws = new this.WebSocketImpl(this.url);
    this.ws = ws;
    ws.onopen = () => ws.send(JSON.stringify({type: 'hello', token: this.token}));
    ws.onmessage = (event) => {
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (!message || typeof message.type !== 'string') return;
      if (!this.connected) {
        this.attempt = 0;
        this.setConnected(true);
      }
      this.dispatchEvent(new CustomEvent(message.type, {detail: message}));
      this.dispatchEvent(new CustomEvent('message', {detail: message}));
    };
    ws.onclose = (event) => {
      if (ws !== this.ws) return;
      this.ws = null;
      this.setConnected(false);
      if (event.code === CLOSE_UNAUTHORIZED) {
        this.stopped = true;
        this.dispatchEvent(new CustomEvent('unauthorized'));
        return;
      }
      if (this.stopped) return;
      const delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)];
      this.attempt += 1;
      this.timer = setTimeout(() => { if (!this.stopped) this.open(); }, delay);
    };
  }

  // "connection" fires with detail true/false: the UI can show that live updates are paused, and
  // refetch what it shows after a reconnect, since events sent meanwhile are lost.
  setConnected(connected) {
    if (this.connected === connected) return;
    this.connected = connected;
    this.dispatchEvent(new CustomEvent('connection', {detail: connected}));
  }
}
