// Consilio meeting client: the browser side of a media node's signaling
// (protocol: media_nodes/session.py). One peer connection per source publishes this
// participant's camera+microphone, and their screen while they present; one per remote feed
// (a participant's camera, or their screen) receives it. The browser always offers (after
// gathering its ICE candidates); the node answers.
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

  // The video codecs this browser can receive: the node uses H.264 in a room only when every
  // participant can (media_nodes/codecs.py), otherwise VP8.
  function receivableCodecs() {
    const capabilities = window.RTCRtpReceiver && RTCRtpReceiver.getCapabilities && RTCRtpReceiver.getCapabilities("video");
    return capabilities ? [...new Set(capabilities.codecs.map((c) => c.mimeType))] : [];
  }

  function feedOf(publisher, source) {
    return source === "screen" ? publisher + "/screen" : publisher;
  }

  class MeetingClient {
    // options: {signalingUrl, token, iceServers, container (element), localVideo (element),
    //           audio (bool), video (bool), onEvent(type, detail)}
    constructor(options) {
      this.options = options;
      this.subscriptions = new Map(); // feed -> {pc, stream, tile}
      this.publishers = new Map(); // source -> peer connection
      this.pending = new Map(); // answer key -> resolve
      this.names = new Map(); // participant id -> display name
      this.republishing = new Set(); // sources being published again (see "republish")
      this.participant = null;
      this.local = null;
      this.screen = null;
      this.closedByUs = false;
    }

    emit(type, detail) {
      if (this.options.onEvent) this.options.onEvent(type, detail || {});
    }

    constraints(kind) {
      const device = this.options[kind === "audio" ? "audioDevice" : "videoDevice"];
      const base = kind === "audio" ? {} : { width: 640, height: 480 };
      return device ? { ...base, deviceId: { exact: device } } : kind === "audio" ? true : base;
    }

    async start() {
      this.local = await navigator.mediaDevices.getUserMedia({
        audio: this.constraints("audio"),
        video: this.constraints("video"),
      });
      if (this.options.audio === false) this.setTrackEnabled("audio", false);
      if (this.options.video === false) this.setTrackEnabled("video", false);
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
        ws.onopen = () =>
          ws.send(JSON.stringify({ type: "join", token: this.options.token, receive: receivableCodecs() }));
        ws.onmessage = (event) => this.onMessage(JSON.parse(event.data));
        ws.onclose = () => {
          if (this.ws !== ws) return; // an old connection, replaced by reconnect()
          this.emit("disconnected", { expected: this.closedByUs });
          if (this.joined) this.joined.reject(new Error("signaling closed"));
          this.joined = null;
        };
      });
    }

    send(message) {
      if (this.ws && this.ws.readyState === 1) this.ws.send(JSON.stringify(message));
    }

    answer(key) {
      return new Promise((resolve) => this.pending.set(key, resolve));
    }

    async onMessage(message) {
      switch (message.type) {
        case "joined": {
          this.participant = message.participant;
          if (message.iceServers) this.options.iceServers = message.iceServers;
          for (const p of message.participants) this.names.set(p.id, p.name);
          await this.publish("camera", this.local);
          if (this.options.audio === false) this.send(this.muteMessage("audio", true));
          if (this.options.video === false) this.send(this.muteMessage("video", true));
          if (this.screen) await this.publish("screen", this.screen);
          const feeds = new Map();
          for (const p of message.publications) {
            if (p.participant !== this.participant) {
              feeds.set(feedOf(p.participant, p.source), [p.participant, p.source]);
            }
          }
          for (const [publisher, source] of feeds.values()) this.subscribe(publisher, source);
          this.emit("joined", message);
          if (this.joined) this.joined.resolve();
          this.joined = null;
          break;
        }
        case "publish-answer":
        case "subscribe-answer": {
          const key = message.type + ":" + feedOf(message.publisher || "", message.source);
          const resolve = this.pending.get(key);
          this.pending.delete(key);
          if (resolve) resolve(message.sdp);
          break;
        }
        case "participant-joined":
          this.names.set(message.participant.id, message.participant.name);
          this.emit(message.type, message);
          break;
        case "published": {
          const p = message.publication;
          if (p.participant !== this.participant && !this.subscriptions.has(feedOf(p.participant, p.source))) {
            this.subscribe(p.participant, p.source);
          }
          break;
        }
        case "unpublished":
          if (message.participant === this.participant) {
            if (this.republishing.delete(message.source)) break; // our own step, see republish
            if (message.source === "screen") this.endScreen();
          } else {
            this.dropSubscription(feedOf(message.participant, message.source));
          }
          break;
        case "muted": {
          const p = message.publication;
          const subscription = this.subscriptions.get(feedOf(p.participant, p.source));
          if (subscription && p.kind === "video") {
            subscription.tile.classList.toggle("camera-off", p.muted);
          }
          this.emit("muted", message);
          break;
        }
        case "republish": {
          // Someone joined who cannot receive the codec this source was sent in.
          const stream = message.source === "screen" ? this.screen : this.local;
          const old = this.publishers.get(message.source);
          if (!stream || !old) break;
          old.close();
          this.republishing.add(message.source);
          this.send({ type: "unpublish", source: message.source });
          await this.publish(message.source, stream);
          if (message.source === "camera") {
            if (this.options.audio === false) this.send(this.muteMessage("audio", true));
            if (this.options.video === false) this.send(this.muteMessage("video", true));
          }
          break;
        }
        case "participant-left":
          this.dropSubscription(feedOf(message.participant, "camera"));
          this.dropSubscription(feedOf(message.participant, "screen"));
          this.emit("participant-left", message);
          break;
        case "ice-servers":
          this.renewIceServers(message.iceServers);
          break;
        case "removed":
        case "replaced":
          this.emit(message.type, message);
          this.leave();
          break;
        default:
          this.emit(message.type, message);
      }
    }

    newPeerConnection() {
      return new RTCPeerConnection({ iceServers: this.options.iceServers || [] });
    }

    // Fresh TURN credentials from the node (they live minutes and are renewed while we are in
    // the room): every peer connection uses them from now on.
    renewIceServers(iceServers) {
      if (!Array.isArray(iceServers)) return;
      this.options.iceServers = iceServers;
      const pcs = [...this.publishers.values(), ...[...this.subscriptions.values()].map((s) => s.pc)];
      for (const pc of pcs) {
        if (pc.signalingState === "closed") continue;
        try {
          pc.setConfiguration({ ...pc.getConfiguration(), iceServers });
        } catch (error) {
          console.warn("could not apply fresh ICE servers", error);
        }
      }
    }

    async publish(source, stream) {
      const pc = this.newPeerConnection();
      this.publishers.set(source, pc);
      for (const track of stream.getTracks()) {
        pc.addTransceiver(track, { direction: "sendonly", streams: [stream] });
      }
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      const answered = this.answer("publish-answer:" + feedOf("", source));
      this.send({ type: "publish", source, sdp: pc.localDescription.sdp });
      await pc.setRemoteDescription({ type: "answer", sdp: await answered });
    }

    async subscribe(publisher, source) {
      source = source || "camera";
      const feed = feedOf(publisher, source);
      const pc = this.newPeerConnection();
      const stream = new MediaStream();
      const tile = this.tileFor(publisher, source, stream);
      this.subscriptions.set(feed, { pc, stream, tile });
      if (source === "camera") pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
      pc.ontrack = (event) => stream.addTrack(event.track);
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc);
      const answered = this.answer("subscribe-answer:" + feed);
      this.send({ type: "subscribe", publisher, source, sdp: pc.localDescription.sdp });
      await pc.setRemoteDescription({ type: "answer", sdp: await answered });
      this.emit("subscribed", { publisher, source });
    }

    // Another camera or microphone while in the room: the new track replaces the old one in
    // the sender, so nobody has to subscribe again.
    async switchDevice(kind, deviceId) {
      this.options[kind === "audio" ? "audioDevice" : "videoDevice"] = deviceId;
      if (!this.local) return;
      const fresh = await navigator.mediaDevices.getUserMedia({ [kind]: this.constraints(kind) });
      const track = fresh.getTracks()[0];
      track.enabled = this.options[kind] !== false;
      const camera = this.publishers.get("camera");
      const sender = camera && camera.getSenders().find((s) => s.track && s.track.kind === kind);
      if (sender) await sender.replaceTrack(track);
      for (const old of this.local.getTracks()) {
        if (old.kind === kind) {
          this.local.removeTrack(old);
          old.stop();
        }
      }
      this.local.addTrack(track);
    }

    setSpeaker(deviceId) {
      this.options.speaker = deviceId;
      for (const { tile } of this.subscriptions.values()) {
        const video = tile.querySelector("video");
        if (video && video.setSinkId) video.setSinkId(deviceId).catch(() => {});
      }
    }

    // Round trip and loss of what this browser sends, as the node reports them back.
    async quality() {
      const pc = this.publishers.get("camera");
      if (!pc) return null;
      let rtt = null;
      let lost = 0;
      (await pc.getStats()).forEach((report) => {
        if (report.type === "remote-inbound-rtp") {
          if (report.roundTripTime !== undefined) rtt = Math.max(rtt || 0, report.roundTripTime);
          if (report.fractionLost !== undefined) lost = Math.max(lost, report.fractionLost);
        }
      });
      if (pc.connectionState !== "connected") return "poor";
      if ((rtt !== null && rtt > 0.4) || lost > 0.1) return "poor";
      if ((rtt !== null && rtt > 0.2) || lost > 0.03) return "fair";
      return "good";
    }

    // How loud each remote participant was since the last call (RMS level 0..1 from the
    // audio energy the browser counts), by feed.
    async audioLevels() {
      const levels = new Map();
      for (const [feed, subscription] of this.subscriptions) {
        if (feed.endsWith("/screen")) continue;
        (await subscription.pc.getStats()).forEach((report) => {
          if (report.type !== "inbound-rtp" || report.kind !== "audio") return;
          const energy = report.totalAudioEnergy || 0;
          const duration = report.totalSamplesDuration || 0;
          const before = subscription.energy || { energy, duration };
          subscription.energy = { energy, duration };
          const span = duration - before.duration;
          if (span > 0) levels.set(feed, Math.sqrt(Math.max(0, energy - before.energy) / span));
        });
      }
      return levels;
    }

    tileFor(publisher, source, stream) {
      const tile = document.createElement("figure");
      tile.className = source === "screen" ? "meeting-tile remote-screen" : "meeting-tile";
      tile.dataset.participant = publisher;
      const video = document.createElement("video");
      video.autoplay = true;
      video.playsInline = true;
      video.srcObject = stream;
      video.dataset.participant = publisher;
      video.className = source === "screen" ? "remote-screen-video" : "remote-video";
      if (this.options.speaker && video.setSinkId) video.setSinkId(this.options.speaker).catch(() => {});
      const caption = document.createElement("figcaption");
      caption.textContent = this.names.get(publisher) || "";
      tile.append(video, caption);
      if (this.options.container) this.options.container.appendChild(tile);
      return tile;
    }

    dropSubscription(feed) {
      const subscription = this.subscriptions.get(feed);
      if (!subscription) return;
      subscription.pc.close();
      subscription.tile.remove();
      this.subscriptions.delete(feed);
    }

    muteMessage(kind, muted) {
      return { type: "mute", participant: this.participant, kind, muted };
    }

    setTrackEnabled(kind, on) {
      if (!this.local) return;
      for (const track of this.local.getTracks()) if (track.kind === kind) track.enabled = on;
    }

    // The participant's own microphone / camera: off here and not forwarded by the node.
    setMuted(kind, muted) {
      this.options[kind] = !muted;
      this.setTrackEnabled(kind, !muted);
      this.send(this.muteMessage(kind, muted));
    }

    async shareScreen() {
      const stream = await navigator.mediaDevices.getDisplayMedia({ video: true, audio: false });
      this.screen = stream;
      stream.getVideoTracks()[0].addEventListener("ended", () => this.stopScreen());
      await this.publish("screen", stream);
      this.emit("screen-started", {});
    }

    stopScreen() {
      if (!this.screen) return;
      this.send({ type: "unpublish", source: "screen" });
      this.endScreen();
    }

    endScreen() {
      const pc = this.publishers.get("screen");
      if (pc) pc.close();
      this.publishers.delete("screen");
      if (this.screen) this.screen.getTracks().forEach((track) => track.stop());
      if (this.screen) this.emit("screen-ended", {});
      this.screen = null;
    }

    closeConnections() {
      for (const feed of [...this.subscriptions.keys()]) this.dropSubscription(feed);
      for (const pc of this.publishers.values()) pc.close();
      this.publishers.clear();
      this.pending.clear();
    }

    // After losing the node: a new pass (maybe another node) and new peer connections.
    async reconnect(pass) {
      this.closeConnections();
      Object.assign(this.options, pass);
      const old = this.ws;
      this.ws = null;
      if (old && old.readyState <= 1) old.close();
      await this.connect();
    }

    leave() {
      this.closedByUs = true;
      this.closeConnections();
      this.endScreen();
      if (this.local) this.local.getTracks().forEach((track) => track.stop());
      if (this.ws && this.ws.readyState <= 1) {
        this.send({ type: "leave" });
        this.ws.close();
      }
    }
  }

  window.ConsilioMeeting = MeetingClient;
})();
