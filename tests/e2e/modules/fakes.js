// Stand-ins for the browser objects web/shared/ uses, so its modules run under node's test runner.

export class FakeWebSocket {
  static instances = [];
  constructor(url) {
    this.url = url;
    this.readyState = 0;
    this.sent = [];
    this.closed = null;
    FakeWebSocket.instances.push(this);
  }
  static last() {
    return FakeWebSocket.instances.at(-1);
  }
  static reset() {
    FakeWebSocket.instances = [];
  }
  send(text) {
    this.sent.push(JSON.parse(text));
  }
  close(code = 1000) {
    if (this.closed) return;
    this.closed = {code};
    this.readyState = 3;
    this.onclose?.({code});
  }
  // What the server side does:
  open() {
    this.readyState = 1;
    this.onopen?.();
  }
  receive(message) {
    this.onmessage?.({data: JSON.stringify(message)});
  }
  drop(code = 1006) {
    this.readyState = 3;
    this.onclose?.({code});
  }
}

export class FakeMediaStream {
  constructor(tracks = []) {
    this.tracks = [...tracks];
  }
  getTracks() {
    return [...this.tracks];
  }
  addTrack(track) {
    this.tracks.push(track);
  }
  removeTrack(track) {
    this.tracks = this.tracks.filter((t) => t !== track);
  }
}

export class FakePeerConnection {
  static instances = [];
  constructor(config) {
    this.config = config;
    this.tracks = [];
    this.transceivers = [];
    this.channels = [];
    this.remoteDescriptions = [];
    this.localDescription = null;
    this.closed = false;
    this.offers = 0;
    this.offerOptions = [];
    this.localDescriptions = [];
    this.signalingState = 'stable';
    this.iceConnectionState = 'new';
    FakePeerConnection.instances.push(this);
  }
  static last() {
    return FakePeerConnection.instances.at(-1);
  }
  addTrack(track) {
    this.tracks.push(track);
  }
  addTransceiver(kind, init) {
    this.transceivers.push({kind, ...init});
  }
  createDataChannel(label) {
    const channel = {label, readyState: 'connecting', sent: [], send(text) { this.sent.push(text); }};
    this.channels.push(channel);
    return channel;
  }
  async createOffer(options = {}) {
    this.offers += 1;
    this.offerOptions.push(options);
    return {type: 'offer', sdp: `client offer ${this.offers}`};
  }
  async createAnswer() {
    return {type: 'answer', sdp: 'client answer'};
  }
  async setLocalDescription(description) {
    this.localDescriptions.push(description);
    this.signalingState = description.type === 'offer' ? 'have-local-offer' : 'stable';
    if (description.type !== 'rollback') this.localDescription = description;
  }
  async setRemoteDescription(description) {
    if (description.type === 'offer' && this.signalingState !== 'stable') {
      throw new Error(`remote offer in state ${this.signalingState}`);
    }
    this.remoteDescriptions.push(description);
    this.signalingState = description.type === 'offer' ? 'have-remote-offer' : 'stable';
  }
  async getStats() {
    return new Map();
  }
  close() {
    this.closed = true;
  }
  // What the browser does:
  connect(state) {
    this.connectionState = state;
    this.onconnectionstatechange?.();
  }
  ice(state) {
    this.iceConnectionState = state;
    this.oniceconnectionstatechange?.();
  }
}

// Lets pending promise callbacks run.
export const settle = () => new Promise((resolve) => setImmediate(resolve));
