// The call as both apps show it: the other side's video large, our own small, microphone and
// camera toggles, and the chat over the `chat` data channel. Wraps signaling.js.
//
// Elements (by id prefix): {prefix}-remote (video), {prefix}-self (video), {prefix}-mic,
// {prefix}-cam (toggle buttons), {prefix}-status (live text), {prefix}-chat-log (list),
// {prefix}-chat-form with {prefix}-chat-input.
// Strings used from the app's table: call.connecting, call.connected, call.reconnecting,
// call.ended, call.mic.mute, call.mic.unmute, call.cam.stop, call.cam.start, call.me, call.them,
// call.chat.failed, call.media.failed, call.other.left, call.other.joined.
//
// Events: ended (detail: reason), state (detail: CallClient state), participant (detail).

import {CallClient} from './signaling.js';

import {$, el} from './dom.js';

export class CallView extends EventTarget {
  constructor(prefix, i18n) {
    super();
    this.i18n = i18n;
    this.remote = $(`${prefix}-remote`);
    this.self = $(`${prefix}-self`);
    this.mic = $(`${prefix}-mic`);
    this.cam = $(`${prefix}-cam`);
    this.status = $(`${prefix}-status`);
    this.chatLog = $(`${prefix}-chat-log`);
    this.chatForm = $(`${prefix}-chat-form`);
    this.chatInput = $(`${prefix}-chat-input`);
    this.client = null;
    this.stream = null;
    this.statusKey = null;
    this.mic.addEventListener('click', () => this.toggle('audio'));
    this.cam.addEventListener('click', () => this.toggle('video'));
    this.chatForm.addEventListener('submit', (event) => {
      event.preventDefault();
      const text = this.chatInput.value.trim();
      if (!text) return;
      if (this.client?.sendChat(text)) {
        this.addChat('me', text);
        this.chatInput.value = '';
      } else {
        this.setStatus('call.chat.failed');
      }
    });
    i18n.onChange(() => this.render());
    this.render();
  }

  get active() {
    return this.client !== null;
  }

  // join: the answer of POST /sessions/{id}/join; rejoin: asks for it again (the call moved to
  // another server node).
  async start(join, rejoin = null) {
    this.stop();
    try {
      this.stream = this.stream || await navigator.mediaDevices.getUserMedia({audio: true, video: true});
    } catch (error) {
      // Without camera or microphone the call still goes ahead: the citizen hears and sees.
      console.warn('getUserMedia failed', error);
      this.setStatus('call.media.failed');
      this.stream = new MediaStream();
    }
    this.self.srcObject = this.stream;
    const client = new CallClient({signalingUrl: join.signaling_url, joinToken: join.join_token,
                                   iceServers: join.ice_servers || [], localStream: this.stream,
                                   rejoin});
    this.client = client;
    client.addEventListener('state', (event) => {
      if (client !== this.client) return;
      const key = {connecting: 'call.connecting', joined: 'call.connecting',
                   connected: 'call.connected', reconnecting: 'call.reconnecting',
                   ended: 'call.ended'}[event.detail];
      if (key) this.setStatus(key);
      this.dispatchEvent(new CustomEvent('state', {detail: event.detail}));
    });
    client.addEventListener('track', () => {
      if (client !== this.client) return;
      if (this.remote.srcObject !== client.remoteStream) this.remote.srcObject = client.remoteStream;
    });
    client.addEventListener('chat', (event) => {
      if (client === this.client) this.addChat('them', event.detail);
    });
    client.addEventListener('participant', (event) => {
      if (client !== this.client) return;
      if (event.detail.event === 'left') this.setStatus('call.other.left');
      if (event.detail.event === 'joined') this.setStatus('call.connected');
      this.dispatchEvent(new CustomEvent('participant', {detail: event.detail}));
    });
    client.addEventListener('ended', (event) => {
      if (client !== this.client) return;
      this.dispatchEvent(new CustomEvent('ended', {detail: event.detail}));
    });
    this.render();
    await client.start();
  }

  // Joins call session `id` (POST /sessions/{id}/join) and starts the call, unless the page no
  // longer wants it once the server answered (stillWanted(): the page moved on meanwhile).
  async joinSession(api, id, stillWanted) {
    const join = await api.post(`/sessions/${id}/join`);
    if (stillWanted()) await this.start(join, () => api.post(`/sessions/${id}/join`));
  }

  // Leaves the call and forgets everything it showed (the next citizen must not see it).
  stop({keepStream = false} = {}) {
    const client = this.client;
    this.client = null;
    client?.leave();
    if (!keepStream) {
      for (const track of this.stream?.getTracks() || []) track.stop();
      this.stream = null;
      this.self.srcObject = null;
    }
    this.remote.srcObject = null;
    this.chatLog.replaceChildren();
    this.chatInput.value = '';
    this.statusKey = null;
    this.status.textContent = '';
  }

  toggle(kind) {
    const tracks = kind === 'audio' ? this.stream?.getAudioTracks() : this.stream?.getVideoTracks();
    if (!tracks?.length) return;
    const enabled = !tracks[0].enabled;
    for (const track of tracks) track.enabled = enabled;
    this.render();
  }

  render() {
    const t = this.i18n.t;
    const audioOn = this.stream?.getAudioTracks()[0]?.enabled ?? true;
    const videoOn = this.stream?.getVideoTracks()[0]?.enabled ?? true;
    // The button names the action it takes; its look (class "off") shows the current state.
    this.mic.textContent = t(audioOn ? 'call.mic.mute' : 'call.mic.unmute');
    this.mic.classList.toggle('off', !audioOn);
    this.cam.textContent = t(videoOn ? 'call.cam.stop' : 'call.cam.start');
    this.cam.classList.toggle('off', !videoOn);
    if (this.statusKey) this.status.textContent = t(this.statusKey);
  }

  setStatus(key) {
    this.statusKey = key;
    this.status.textContent = this.i18n.t(key);
  }

  addChat(who, text) {
    const t = this.i18n.t;
    const item = el('li', {class: `chat-${who}`},
                    el('span', {class: 'chat-who'}, t(who === 'me' ? 'call.me' : 'call.them')),
                    el('span', {class: 'chat-text'}, text));
    this.chatLog.append(item);
    item.scrollIntoView({block: 'nearest'});
  }

  // What getStats() proves, for the end-to-end tests and the status line.
  async mediaTotals() {
    const totals = {videoFramesDecoded: 0, audioPacketsReceived: 0, state: this.client?.state ?? null};
    const stats = await this.client?.getStats();
    stats?.forEach((report) => {
      if (report.type !== 'inbound-rtp') return;
      if (report.kind === 'video') totals.videoFramesDecoded += report.framesDecoded || 0;
      if (report.kind === 'audio') totals.audioPacketsReceived += report.packetsReceived || 0;
    });
    return totals;
  }
}
