// Consilio meeting client: the browser side of a media node's signaling
// (protocol: media_nodes/session.py). One peer connection publishes this participant's
// camera and microphone; one per remote participant receives theirs. The browser always
// offers (after gathering its ICE candidates); the node answers.
(function () {
  "use strict";

  const GATHER_TIMEOUT_MS = 3000;

  function gathered(pc) {
    if (pc.iceGatheringState === "complete") return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        if (pc.iceGatheringState === "complete") {
          pc.removeEventListener("icegatheringstatechange", done);
          resolve();
        }
      };
      pc.addEventListener("icegatheringstatechange", done);
      setTimeout(resolve, GATHER_TIMEOUT_MS);
    });
  }

  class MeetingClient {
    // options: {signalingUrl, token, iceServers, container (element), localVideo (element),
    //           audio (bool), video (bool), onEvent(type, detail)}
    constructor(options) {
      this.options = options;
      this.subscriptions = new Map(); // publisher id -> {pc, stream, tile}
      this.pending = new Map(); // message type (+ publisher) -> resolve
      this.participant = null;
      this.local = null;
      this.publisher = null;
      this.closedByUs = false;
    }

    emit(type, detail) {
      if (this.options.onEvent) this.options.onEvent(type, detail || {});
    }

    async start() {
      this.local = await navigator.mediaDevices.getUserMedia({
        audio: this.options.audio !== false,
        video: this.options.video !== false ? { width: 640, height: 480 } : false,
      });
      if (this.options.localVideo) {
        this.options.localVideo.srcObject = this.local;
        this.options.localVideo.muted = true;
      }
      await this.connect();
    }

    connect() {
      return new Promise((resolve, reject) => {
        const ws = (this.ws = new WebSocket(this.options.signalingUrl));
        this.joined = { resolve, reject };
        ws.onopen = () => ws.send(JSON.stringify({ type: "join", token: this.options.token }));
        ws.onmessage = (event) => this.onMessage(JSON.parse(event.data));
        ws.onclose = () => {
          this.emit("disconnected", { expected: this.closedByUs });
          if (this.joined) this.joined.reject(new Error("signaling closed"));
        };
      });
    }

    send(message) {
      this.ws.send(JSON.stringify(message));
    }

    answer(key) {
      return new Promise((resolve) => this.pending.set(key, resolve));
    }

    async onMessage(message) {
      switch (message.type) {
        case "joined": {
          this.participant = message.participant;
          await this.publish();
          const publishers = new Set(message.publications.map((p) => p.participant));
          for (const publisher of publishers) {
            if (publisher !== this.participant) this.subscribe(publisher);
          }
          this.emit("joined", message);
          if (this.joined) this.joined.resolve();
          this.joined = null;
          break;
        }
        case "publish-answer":
        case "subscribe-answer": {
          const key = message.type + ":" + (message.publisher || "");
          const resolve = this.pending.get(key);
          this.pending.delete(key);
          if (resolve) resolve(message.sdp);
          break;
        }
        case "published": {
          const publisher = message.publication.participant;
          if (publisher !== this.participant && !this.subscriptions.has(publisher)) {
            this.subscribe(publisher);
          }
          break;
        }
        case "participant-left":
          this.dropSubscription(message.participant);
          this.emit("participant-left", message);
          break;
        case "error":
          this.emit("error", message);
          break;
        default:
          this.emit(message.type, message);
      }
    }

    newPeerConnection() {
      return new RTCPeerConnection({ iceServers: this.options.iceServers || [] });
    }

    async publish() {
      const pc = (this.publisher = this.newPeerConnection());
      for (const track of this.local.getTracks()) {
        pc.addTransceiver(track, { direction: "sendonly", streams: [this.local] });
      }
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      const answered = this.answer("publish-answer:");
      this.send({ type: "publish", sdp: pc.localDescription.sdp });
      await pc.setRemoteDescription({ type: "answer", sdp: await answered });
    }

    async subscribe(publisher) {
      const pc = this.newPeerConnection();
      const stream = new MediaStream();
      const tile = this.tileFor(publisher, stream);
      this.subscriptions.set(publisher, { pc, stream, tile });
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
      pc.ontrack = (event) => stream.addTrack(event.track);
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      const answered = this.answer("subscribe-answer:" + publisher);
      this.send({ type: "subscribe", publisher, sdp: pc.localDescription.sdp });
      await pc.setRemoteDescription({ type: "answer", sdp: await answered });
      this.emit("subscribed", { publisher });
    }

    tileFor(publisher, stream) {
      const video = document.createElement("video");
      video.autoplay = true;
      video.playsInline = true;
      video.srcObject = stream;
      video.dataset.participant = publisher;
      video.className = "remote-video";
      if (this.options.container) this.options.container.appendChild(video);
      return video;
    }

    dropSubscription(publisher) {
      const subscription = this.subscriptions.get(publisher);
      if (!subscription) return;
      subscription.pc.close();
      subscription.tile.remove();
      this.subscriptions.delete(publisher);
    }

    leave() {
      this.closedByUs = true;
      for (const publisher of [...this.subscriptions.keys()]) this.dropSubscription(publisher);
      if (this.publisher) this.publisher.close();
      if (this.local) this.local.getTracks().forEach((track) => track.stop());
      if (this.ws && this.ws.readyState <= 1) {
        this.send({ type: "leave" });
        this.ws.close();
      }
    }
  }

  window.ConsilioMeeting = MeetingClient;
})();
