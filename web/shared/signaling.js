// A participant of a call session in the browser: /rtc/v1 signaling (proto/signaling.schema.json)
// and one RTCPeerConnection to the SFU (unified plan, BUNDLE). Sends the local audio and video,
// exposes the other participants' tracks, a `chat` data channel, and reconnects by itself when the
// WebSocket or the media path drops. The client offers once, when it joins; after that the server
// offers whenever the remote tracks change (a participant joined or left) and the client answers.
// When the network changes under a call (ICE disconnected for a few seconds, or failed) the client
// restarts ICE: a new offer with new ICE credentials on the same peer connection, answered by the
// server, so the call goes on without joining again; only if that does not reconnect in time does
// it join again. A server offer that crosses the restart wins: the restart is rolled back, the
// server's offer answered, and the restart offered again.
//
// A call session lives on one server node. When the signaling WebSocket closes without a bye, or
// with bye "moved" (the node drains), or the node says it does not host the call (close 4421),
// the client asks for the call again with `rejoin` (POST /sessions/{id}/join through the page's
// own origin, which any node answers) and joins the signaling_url it gets: the node that hosts
// the call now (CONTRACT.md "Several nodes on one database", the client rule). Meanwhile its
// state is "reconnecting".
//
//   const call = new CallClient({signalingUrl, joinToken, iceServers, localStream,
//                                rejoin: () => api.post(`/sessions/${id}/join`)});
//   call.addEventListener('track', (e) => video.srcObject = call.remoteStream);
//   await call.start();
//
// remoteStream holds every remote track; remoteStreams holds one MediaStream per other
// participant (the server's msid stream), to show each of them on its own.
//
// Events: state (detail: connecting | joined | connected | reconnecting | ended), joined (detail:
// {participant_id, role}), track (detail: {track, transceiver, stream}), trackremoved (detail:
// {track, stream}: a participant's track went, e.g. it left), participant (detail: {event,
// role}), chat (detail: text), error (detail: {code, message}), icerestart (the network changed:
// ICE restarts), ended (detail: reason).

const RECONNECT_DELAYS_MS = [500, 1000, 2000, 4000, 8000];
const JOIN_TIMEOUT_MS = 10000;
// ICE disconnected this long: restart it. Not connected again this long after: join again.
const ICE_RESTART_AFTER_MS = 3000;
const ICE_RESTART_LIMIT_MS = 15000;
// Restart offers refused because a server offer crossed them: offered again at most this often.
const ICE_RESTART_OFFERS = 4;
// Reasons after which joining again would only fight another tab or repeat a refusal.
const FINAL_BYE_REASONS = new Set(['left', 'replaced']);
const FINAL_ERROR_CODES = new Set(['unauthorized', 'call_full']);
// The node is going away and said so: join again at once, elsewhere.
const MOVED_BYE_REASON = 'moved';

// "/rtc/v1" or "ws://host/rtc/v1" or "http(s)://host/rtc/v1", relative to the page.
export function webSocketUrl(url, base = globalThis.location?.href) {
  const resolved = new URL(url, base);
  if (resolved.protocol === 'http:') resolved.protocol = 'ws:';
  if (resolved.protocol === 'https:') resolved.protocol = 'wss:';
  return resolved.href;
}

export class CallClient extends EventTarget {
  constructor({signalingUrl, joinToken, iceServers = [], localStream = null, rejoin = null,
               WebSocketImpl = globalThis.WebSocket,
               RTCPeerConnectionImpl = globalThis.RTCPeerConnection}) {
    super();
    this.signalingUrl = webSocketUrl(signalingUrl);
    this.joinToken = joinToken;
    this.iceServers = iceServers;
    this.localStream = localStream;
    // async () => a new join answer {signaling_url, join_token, ice_servers}; throws {status}.
    this.rejoin = rejoin;
    this.WebSocketImpl = WebSocketImpl;
    this.RTCPeerConnectionImpl = RTCPeerConnectionImpl;
    this.remoteStream = new MediaStream();
    this.remoteStreams = new Map();  // msid stream id -> MediaStream
    this.state = 'idle';
    this.participantId = null;
    this.role = null;
    this.pc = null;
    this.ws = null;
    this.chatChannel = null;
    this.attempt = 0;
    this.ended = false;
    this.negotiation = Promise.resolve();
    this.reconnectTimer = null;
    this.restarting = false;
    this.restartOffers = 0;
    this.disconnectTimer = null;
    this.restartTimer = null;
  }

  // Opens the camera and microphone unless a stream was given, then joins.
  async start() {
    if (!this.localStream) {
      this.localStream = await navigator.mediaDevices.getUserMedia({audio: true, video: true});
    }
    this.connect();
  }

  // Sends text to every other participant's chat channel; false when the channel is not open.
  sendChat(text) {
    if (this.chatChannel?.readyState !== 'open') return false;
    this.chatChannel.send(String(text));
    return true;
  }

  leave() {
    if (this.ended) return;
    this.send({type: 'leave'});
    this.finish('left');
  }

  // The SFU peer connection's getStats(), or null before it exists.
  async getStats() {
    return this.pc ? this.pc.getStats() : null;
  }

  // --- internals

  setState(state) {
    if (this.state === state) return;
    this.state = state;
    this.emit('state', state);
  }

  emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, {detail}));
  }

  send(message) {
    if (this.ws?.readyState === 1) this.ws.send(JSON.stringify(message));
  }

  connect() {
    this.setState(this.attempt === 0 ? 'connecting' : 'reconnecting');
    const ws = new this.WebSocketImpl(this.signalingUrl);
    this.ws = ws;
    let joined = false;
    const joinTimer = setTimeout(() => { if (!joined) ws.close(); }, JOIN_TIMEOUT_MS);
    ws.onopen = () => ws.send(JSON.stringify({type: 'join', join_token: this.joinToken}));
    ws.onmessage = (event) => {
      if (ws !== this.ws) return;
      let message;
      try {
        message = JSON.parse(event.data);
      } catch {
        return;
      }
      if (message.type === 'joined') {
        joined = true;
        clearTimeout(joinTimer);
      }
      this.onMessage(message).catch((error) => this.onFailure(String(error)));
    };
    ws.onclose = (event) => {
      clearTimeout(joinTimer);
      // 4421: another node hosts the call now; the rejoin finds it without waiting.
      if (ws === this.ws) this.onFailure('signaling closed', event?.code === 4421 ? 0 : null);
    };
  }

  async onMessage(message) {
    switch (message.type) {
      case 'joined':
        this.participantId = message.participant_id;
        this.role = message.role;
        this.setState('joined');
        this.emit('joined', message);
        await this.offer();
        break;
      case 'answer':
        await this.chain(() => this.pc.setRemoteDescription({type: 'answer', sdp: message.sdp}));
        break;
      case 'offer':
        await this.chain(async () => {
          // Our ICE restart crossed the server's offer: the server's goes first.
          if (this.pc.signalingState === 'have-local-offer') {
            await this.pc.setLocalDescription({type: 'rollback'});
          }
          await this.pc.setRemoteDescription({type: 'offer', sdp: message.sdp});
          await this.pc.setLocalDescription(await this.pc.createAnswer());
          this.send({type: 'answer', sdp: this.pc.localDescription.sdp});
        });
        break;
      case 'participant':
        this.emit('participant', {event: message.event, role: message.role});
        break;
      case 'bye':
        if (FINAL_BYE_REASONS.has(message.reason)) this.finish(message.reason);
        else this.onFailure(message.reason, message.reason === MOVED_BYE_REASON ? 0 : null);
        break;
      case 'error':
        this.emit('error', {code: message.code, message: message.message});
        if (FINAL_ERROR_CODES.has(message.code)) this.finish(message.code);
        // The restart offer was refused (a server offer came first): offer it again once that
        // is answered; the restart's time limit still holds.
        else if (this.restarting && (message.code === 'unexpected_offer' ||
                                     message.code === 'offer_rejected')) {
          await this.offerIceRestart(this.pc);
        }
        break;
      default:
        break;  // candidates from the server and future messages
    }
  }

  // Offers and answers are applied one after the other, in the order they came.
  chain(step) {
    this.negotiation = this.negotiation.then(step);
    return this.negotiation;
  }

  async offer() {
    this.closePeerConnection();
    const pc = new this.RTCPeerConnectionImpl({iceServers: this.iceServers,
                                               bundlePolicy: 'max-bundle',
                                               rtcpMuxPolicy: 'require'});
    this.pc = pc;
    this.negotiation = Promise.resolve();
    for (const track of this.localStream.getTracks()) pc.addTrack(track, this.localStream);
    // Without a camera or a microphone the person still sees and hears the others.
    for (const kind of ['audio', 'video']) {
      if (this.localStream.getTracks().every((track) => track.kind !== kind)) {
        pc.addTransceiver(kind, {direction: 'recvonly'});
      }
    }
    this.attachChat(pc.createDataChannel('chat'));
    pc.ondatachannel = (event) => {
      if (event.channel.label === 'chat') this.attachChat(event.channel);
    };
    pc.ontrack = (event) => {
      if (pc !== this.pc) return;
      // A server offer that stops a section removes its track from the stream: from ours too.
      const stream = event.streams[0] || null;
      if (stream && !this.remoteStreams.has(stream.id)) {
        this.remoteStreams.set(stream.id, stream);
        stream.addEventListener('removetrack', (removed) => this.dropTrack(removed.track, stream));
      }
      if (!this.remoteStream.getTracks().includes(event.track)) {
        this.remoteStream.addTrack(event.track);
        event.track.addEventListener('ended', () => this.dropTrack(event.track, stream));
      }
      this.emit('track', {track: event.track, transceiver: event.transceiver, stream});
    };
    pc.onconnectionstatechange = () => {
      if (pc !== this.pc) return;
      if (pc.connectionState === 'connected') {
        this.attempt = 0;
        this.setState('connected');
      } else if (pc.connectionState === 'failed') {
        if (this.restarting) this.onFailure('media failed');
        else this.restartIce();
      }
    };
    pc.oniceconnectionstatechange = () => {
      if (pc !== this.pc) return;
      const state = pc.iceConnectionState;
      if (state === 'connected' || state === 'completed') {
        clearTimeout(this.disconnectTimer);
        clearTimeout(this.restartTimer);
        this.disconnectTimer = null;
        this.restarting = false;
      } else if (state === 'failed') {
        this.restartIce();
      } else if (state === 'disconnected' && !this.disconnectTimer && !this.restarting) {
        this.disconnectTimer = setTimeout(() => {
          this.disconnectTimer = null;
          if (pc === this.pc && pc.iceConnectionState === 'disconnected') this.restartIce();
        }, ICE_RESTART_AFTER_MS);
      }
    };
    await this.chain(async () => {
      await pc.setLocalDescription(await pc.createOffer());
      this.send({type: 'offer', sdp: pc.localDescription.sdp});
    });
  }

  // The network changed: new ICE credentials and candidates on the same peer connection (DTLS
  // and the tracks stay), or a new join if that does not reconnect in time.
  restartIce() {
    const pc = this.pc;
    if (!pc || this.restarting || this.ended) return;
    this.restarting = true;
    this.restartOffers = 0;
    clearTimeout(this.disconnectTimer);
    this.disconnectTimer = null;
    this.emit('icerestart', {});
    this.restartTimer = setTimeout(() => {
      if (pc === this.pc && this.restarting) this.onFailure('ICE restart failed');
    }, ICE_RESTART_LIMIT_MS);
    this.offerIceRestart(pc).catch((error) => this.onFailure(String(error)));
  }

  offerIceRestart(pc) {
    return this.chain(async () => {
      if (pc !== this.pc || !this.restarting || this.restartOffers >= ICE_RESTART_OFFERS) return;
      this.restartOffers += 1;
      if (pc.signalingState === 'have-local-offer') {
        await pc.setLocalDescription({type: 'rollback'});
      }
      await pc.setLocalDescription(await pc.createOffer({iceRestart: true}));
      this.send({type: 'offer', sdp: pc.localDescription.sdp});
    });
  }

  dropTrack(track, stream) {
    if (stream && stream.getTracks().length === 0) this.remoteStreams.delete(stream.id);
    if (!this.remoteStream.getTracks().includes(track)) return;
    this.remoteStream.removeTrack(track);
    this.emit('trackremoved', {track, stream});
  }

  attachChat(channel) {
    this.chatChannel = channel;
    channel.onmessage = (event) => this.emit('chat', String(event.data));
  }

  closePeerConnection() {
    clearTimeout(this.disconnectTimer);
    clearTimeout(this.restartTimer);
    this.disconnectTimer = null;
    this.restarting = false;
    if (!this.pc) return;
    this.pc.onconnectionstatechange = null;
    this.pc.oniceconnectionstatechange = null;
    this.pc.close();
    this.pc = null;
    for (const track of this.remoteStream.getTracks()) this.remoteStream.removeTrack(track);
    this.remoteStreams.clear();
  }

  // Something broke: drop the connection and join again after a growing delay (delay: a
  // given one instead), through `rejoin` when the page gave one.
  onFailure(reason, delay = null) {
    if (this.ended || this.reconnectTimer) return;
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.closePeerConnection();
    this.setState('reconnecting');
    if (delay === null) {
      delay = RECONNECT_DELAYS_MS[Math.min(this.attempt, RECONNECT_DELAYS_MS.length - 1)];
    }
    this.attempt += 1;
    this.emit('reconnecting', {reason, delay});
    this.reconnectTimer = setTimeout(() => {
      this.reconnectTimer = null;
      if (!this.ended) this.reconnect();
    }, delay);
  }

  async reconnect() {
    if (this.rejoin) {
      let join;
      try {
        join = await this.rejoin();
      } catch (error) {
        if (this.ended) return;
        // The call is over or no longer ours (403, 404, 409): nothing to come back to.
        if (error?.status >= 400 && error.status < 500 && error.status !== 429) {
          this.finish('session_gone');
        } else {
          this.onFailure('rejoin failed');
        }
        return;
      }
      if (this.ended) return;
      this.signalingUrl = webSocketUrl(join.signaling_url);
      this.joinToken = join.join_token;
      this.iceServers = join.ice_servers || [];
    }
    this.connect();
  }

  finish(reason) {
    if (this.ended) return;
    this.ended = true;
    clearTimeout(this.reconnectTimer);
    const ws = this.ws;
    this.ws = null;
    ws?.close();
    this.closePeerConnection();
    this.setState('ended');
    this.emit('ended', reason);
  }
}
