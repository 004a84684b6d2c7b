// The test center's measurements (graded on the server: app/services/test_center.py).
// The page calls window.consilioTest.* (rx.call_script); each finished step goes into an
// outbox, and a click on the hidden "collect" button makes the page fetch it with take().
// The network check speaks the media node's signaling (media_nodes/session.py) as a
// "probe": alone in a room of its own, it publishes synthetic 1 Mbit/s-class video and
// subscribes to its own feed, which the node echoes back.
(function () {
  "use strict";

  const COLLECT_ID = "test-center-collect";
  const LISTEN_MS = 3000;
  const CONNECT_TIMEOUT_MS = 8000;
  const GATHER_TIMEOUT_MS = 4000;
  const QUALITY_MS = 6000;
  const MAX_BITRATE = 2500000;
  const START_KBPS = 1600; // start well above the recommended 1000 kbit/s instead of ramping up from 300

  // Console errors since the page opened: support sees them in the report.
  const errors = [];
  const note = (text) => errors.length < 50 && errors.push(String(text).slice(0, 300));
  const consoleError = console.error;
  console.error = function (...args) {
    note(args.map((a) => (a && a.message) || String(a)).join(" "));
    consoleError.apply(console, args);
  };
  window.addEventListener("error", (event) => note(event.message));
  window.addEventListener("unhandledrejection", (event) => note("unhandled: " + (event.reason && event.reason.message || event.reason)));

  const outbox = [];
  let camera = null;
  let running = false;

  function send(check, data) {
    outbox.push({ check, data });
    const button = document.getElementById(COLLECT_ID);
    if (button) button.click();
  }

  // The person's devices (assets/devices.js, looked up when needed: scripts load in any order).
  const chosen = (kind) => window.consilioDevices.chosen(kind);
  const choose = (kind, deviceId) => window.consilioDevices.choose(kind, deviceId);
  const constraint = (kind, base) => window.consilioDevices.constraint(kind, base);
  const fill = () => window.consilioDevices.fill();

  // A new choice of device counts from the next run; the speaker's at the next chime.
  document.addEventListener("change", (event) => {
    const select = event.target;
    if (select instanceof HTMLSelectElement && select.dataset.deviceKind) choose(select.dataset.deviceKind, select.value);
  });

  function deviceError(error) {
    const name = error && error.name;
    if (name === "NotAllowedError" || name === "SecurityError") return "denied";
    if (name === "NotFoundError" || name === "OverconstrainedError") return "missing";
    if (name === "NotReadableError" || name === "AbortError") return "busy";
    return "other";
  }

  function browserName() {
    const brands = ((navigator.userAgentData && navigator.userAgentData.brands) || []).filter(
      (b) => !/Not.?A.?Brand/i.test(b.brand)
    );
    const brand = brands.find((b) => b.brand !== "Chromium") || brands[0];
    if (brand) return brand.brand + " " + brand.version;
    const match = navigator.userAgent.match(/(Firefox|Edg|Chrome|Version)\/(\d+)/);
    return match ? match[1].replace("Version", "Safari").replace("Edg", "Edge") + " " + match[2] : "";
  }

  async function deviceCounts() {
    try {
      const devices = await navigator.mediaDevices.enumerateDevices();
      const count = (kind) => devices.filter((d) => d.kind === kind).length;
      return `cameras ${count("videoinput")}, microphones ${count("audioinput")}, speakers ${count("audiooutput")}`;
    } catch (error) {
      return "";
    }
  }

  async function checkBrowser() {
    return {
      webrtc: typeof RTCPeerConnection === "function",
      getUserMedia: !!(navigator.mediaDevices && navigator.mediaDevices.getUserMedia),
      websocket: typeof WebSocket === "function",
      audioContext: typeof (window.AudioContext || window.webkitAudioContext) === "function",
      name: browserName(),
      userAgent: navigator.userAgent,
      platform: (navigator.userAgentData && navigator.userAgentData.platform) || navigator.platform || "",
      screen: `${screen.width}x${screen.height} @${window.devicePixelRatio}x, window ${innerWidth}x${innerHeight}`,
      language: navigator.language,
      timezone: Intl.DateTimeFormat().resolvedOptions().timeZone || "",
      devices: await deviceCounts(),
    };
  }

  async function checkCamera() {
    if (camera) camera.getTracks().forEach((track) => track.stop());
    try {
      camera = await navigator.mediaDevices.getUserMedia({ video: constraint("videoinput", { width: 1280, height: 720 }) });
    } catch (error) {
      console.warn("camera", error);
      return { ok: false, error: deviceError(error) };
    }
    const video = document.getElementById("test-center-video");
    if (video) video.srcObject = camera;
    const settings = camera.getVideoTracks()[0].getSettings();
    return { ok: true, width: settings.width || 0, height: settings.height || 0 };
  }

  // Listens for a few seconds and reports the loudest moment (0..1); the level meter moves.
  async function checkMicrophone() {
    let stream;
    try {
      stream = await navigator.mediaDevices.getUserMedia({ audio: constraint("audioinput", {}) });
    } catch (error) {
      console.warn("microphone", error);
      return { ok: false, error: deviceError(error) };
    }
    const context = new (window.AudioContext || window.webkitAudioContext)();
    await context.resume();
    const analyser = context.createAnalyser();
    analyser.fftSize = 2048;
    context.createMediaStreamSource(stream).connect(analyser);
    const samples = new Float32Array(analyser.fftSize);
    const meter = document.getElementById("test-center-level");
    let peak = 0;
    const started = performance.now();
    while (performance.now() - started < LISTEN_MS) {
      analyser.getFloatTimeDomainData(samples);
      let now = 0;
      for (const sample of samples) now = Math.max(now, Math.abs(sample));
      peak = Math.max(peak, now);
      if (meter) meter.value = Math.min(1, now);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    if (meter) meter.value = 0;
    stream.getTracks().forEach((track) => track.stop());
    await context.close();
    return { ok: true, level: Math.min(1, peak) };
  }

  // A short chime on the chosen speaker (setSinkId where the browser has it).
  async function playSound() {
    const context = new (window.AudioContext || window.webkitAudioContext)();
    const destination = context.createMediaStreamDestination();
    const gain = context.createGain();
    gain.connect(destination);
    [523.25, 659.25, 783.99].forEach((frequency, i) => {
      const tone = context.createOscillator();
      tone.frequency.value = frequency;
      tone.connect(gain);
      tone.start(context.currentTime + i * 0.35);
      tone.stop(context.currentTime + i * 0.35 + 0.3);
    });
    gain.gain.setValueAtTime(0.3, context.currentTime);
    const audio = new Audio();
    audio.srcObject = destination.stream;
    if (chosen("audiooutput") && audio.setSinkId) await audio.setSinkId(chosen("audiooutput")).catch(() => {});
    await audio.play();
    setTimeout(() => {
      audio.pause();
      context.close();
    }, 1400);
  }

  // --- network -----------------------------------------------------------------------------
  // Synthetic video that keeps an encoder busy (coarse noise), so the bitrate reached
  // measures the network, not how still the person sits.
  function noiseStream() {
    const canvas = document.createElement("canvas");
    canvas.width = 640;
    canvas.height = 480;
    const draw = canvas.getContext("2d");
    const small = document.createElement("canvas");
    small.width = 160;
    small.height = 120;
    const smallDraw = small.getContext("2d");
    const image = smallDraw.createImageData(160, 120);
    const pixels = new Uint32Array(image.data.buffer);
    const timer = setInterval(() => {
      for (let i = 0; i < pixels.length; i++) pixels[i] = (Math.random() * 0xffffff) | 0xff000000;
      smallDraw.putImageData(image, 0, 0);
      draw.imageSmoothingEnabled = false;
      draw.drawImage(small, 0, 0, 640, 480);
    }, 33);
    const stream = canvas.captureStream(30);
    stream.getVideoTracks()[0].addEventListener("ended", () => clearInterval(timer));
    stream.stop = () => {
      clearInterval(timer);
      stream.getTracks().forEach((track) => track.stop());
    };
    return stream;
  }

  // Ask the browser to start sending at START_KBPS (x-google-start-bitrate in the answer's
  // video formats): the test then sees whether the path holds that rate, within seconds.
  function startHigh(sdp) {
    for (const [, pt] of sdp.matchAll(/a=rtpmap:(\d+) (?:VP8|VP9|H264)\/90000/g)) {
      const fmtp = new RegExp(`(a=fmtp:${pt} [^\r\n]*)`);
      sdp = fmtp.test(sdp)
        ? sdp.replace(fmtp, `$1;x-google-start-bitrate=${START_KBPS}`)
        : sdp.replace(new RegExp(`(a=rtpmap:${pt} [^\r\n]*\r\n)`), `$1a=fmtp:${pt} x-google-start-bitrate=${START_KBPS}\r\n`);
    }
    return sdp;
  }

  function gathered(pc, timeout) {
    return new Promise((resolve) => {
      if (pc.iceGatheringState === "complete") return resolve();
      pc.addEventListener("icegatheringstatechange", () => pc.iceGatheringState === "complete" && resolve());
      setTimeout(resolve, timeout);
    });
  }

  function connected(pc, timeout) {
    return new Promise((resolve) => {
      const check = () => {
        if (pc.connectionState === "connected") resolve(true);
        if (pc.connectionState === "failed" || pc.connectionState === "closed") resolve(false);
      };
      pc.addEventListener("connectionstatechange", check);
      check();
      setTimeout(() => resolve(pc.connectionState === "connected"), timeout);
    });
  }

  class Probe {
    constructor(config) {
      this.config = config;
      this.waiting = new Map();
      this.me = null;
    }

    join() {
      return new Promise((resolve, reject) => {
        const ws = (this.ws = new WebSocket(this.config.signalingUrl));
        const receive = RTCRtpReceiver.getCapabilities ? RTCRtpReceiver.getCapabilities("video").codecs.map((c) => c.mimeType) : [];
        ws.onopen = () => ws.send(JSON.stringify({ type: "join", token: this.config.token, receive }));
        ws.onerror = () => reject(new Error("signaling unreachable"));
        ws.onclose = () => reject(new Error("signaling closed"));
        ws.onmessage = (event) => {
          const message = JSON.parse(event.data);
          if (message.type === "joined") {
            this.me = message.participant;
            resolve();
          } else if (message.type === "error") {
            console.warn("media node:", message.code, message.message);
            if (!this.me) reject(new Error(message.code));
          }
          const waiter = this.waiting.get(message.type);
          if (waiter) {
            this.waiting.delete(message.type);
            waiter(message.sdp);
          }
        };
      });
    }

    exchange(message, answerType) {
      const answered = new Promise((resolve) => this.waiting.set(answerType, resolve));
      this.ws.send(JSON.stringify(message));
      return answered;
    }

    async publish(stream, ice) {
      const pc = new RTCPeerConnection(ice);
      const sender = pc.addTransceiver(stream.getVideoTracks()[0], { direction: "sendonly" }).sender;
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc, GATHER_TIMEOUT_MS);
      const sdp = await this.exchange({ type: "publish", source: "camera", sdp: pc.localDescription.sdp }, "publish-answer");
      await pc.setRemoteDescription({ type: "answer", sdp: startHigh(sdp) });
      const parameters = sender.getParameters();
      if (parameters.encodings && parameters.encodings[0]) {
        parameters.encodings[0].maxBitrate = MAX_BITRATE;
        await sender.setParameters(parameters).catch(() => {});
      }
      return pc;
    }

    unpublish(pc) {
      pc.close();
      this.ws.send(JSON.stringify({ type: "unpublish", source: "camera" }));
    }

    async echo(ice) {
      const pc = new RTCPeerConnection(ice);
      pc.addTransceiver("video", { direction: "recvonly" });
      await pc.setLocalDescription(await pc.createOffer());
      await gathered(pc, GATHER_TIMEOUT_MS);
      const sdp = await this.exchange({ type: "subscribe", publisher: this.me, source: "camera", sdp: pc.localDescription.sdp }, "subscribe-answer");
      await pc.setRemoteDescription({ type: "answer", sdp });
      return pc;
    }

    leave() {
      if (this.ws && this.ws.readyState <= 1) {
        this.ws.onclose = null;
        this.ws.send(JSON.stringify({ type: "leave" }));
        this.ws.close();
      }
    }
  }

  async function stats(pc, type) {
    const found = [];
    (await pc.getStats()).forEach((report) => report.type === type && found.push(report));
    return found;
  }

  async function selectedPair(pc) {
    const pairs = await stats(pc, "candidate-pair");
    return pairs.find((p) => p.nominated && p.state === "succeeded") || pairs.find((p) => p.state === "succeeded");
  }

  // Bitrate the path carried (its best one-second window; loss is measured apart), round trip of the
  // path, and loss of the echoed stream (both directions) over QUALITY_MS.
  async function measureQuality(probe, publisher, ice, progress) {
    const echo = await probe.echo(ice);
    await connected(echo, CONNECT_TIMEOUT_MS);
    const rates = [];
    let last = null;
    const rtts = [];
    const started = performance.now();
    while (performance.now() - started < QUALITY_MS) {
      await new Promise((resolve) => setTimeout(resolve, 1000));
      progress((performance.now() - started) / QUALITY_MS);
      const [out] = await stats(publisher, "outbound-rtp");
      if (out && last) rates.push(((out.bytesSent - last.bytesSent) * 8) / (out.timestamp - last.timestamp));
      if (out) last = out;
      const pair = await selectedPair(publisher);
      if (pair && pair.currentRoundTripTime !== undefined) rtts.push(pair.currentRoundTripTime * 1000);
    }
    const [inbound] = await stats(echo, "inbound-rtp");
    echo.close();
    const received = (inbound && inbound.packetsReceived) || 0;
    const lost = Math.max(0, (inbound && inbound.packetsLost) || 0);
    const quality = { kbps: Math.max(0, ...rates) };
    if (rtts.length) quality.rttMs = rtts.sort((a, b) => a - b)[Math.floor(rtts.length / 2)];
    if (received + lost > 0) quality.lossPercent = (100 * lost) / (received + lost);
    return quality;
  }

  async function tryPath(probe, stream, ice) {
    const started = performance.now();
    const pc = await probe.publish(stream, ice);
    const ok = await connected(pc, CONNECT_TIMEOUT_MS);
    return { pc, ok, ms: Math.round(performance.now() - started) };
  }

  async function learnAddress(stunServers) {
    const pc = new RTCPeerConnection({ iceServers: stunServers });
    const found = [];
    pc.addEventListener("icecandidate", (event) => event.candidate && found.push(event.candidate));
    pc.createDataChannel("stun");
    await pc.setLocalDescription(await pc.createOffer());
    await gathered(pc, GATHER_TIMEOUT_MS);
    pc.close();
    const srflx = found.find((c) => c.type === "srflx");
    return { srflx: !!srflx, address: srflx ? srflx.address || "" : "" };
  }

  async function checkNetwork(config, progress) {
    const result = {
      direct: { connected: false },
      stun: { offered: config.stunServers.length > 0, srflx: false },
      relay: { offered: config.turnServers.length > 0, connected: false },
      quality: {},
    };
    const probe = new Probe(config);
    const stream = noiseStream();
    try {
      await probe.join();
      progress(0.05);
      const direct = await tryPath(probe, stream, { iceServers: [] });
      result.direct = { connected: direct.ok, ms: direct.ms };
      progress(0.15);
      if (direct.ok) {
        result.quality = await measureQuality(probe, direct.pc, { iceServers: [] }, (f) => progress(0.15 + 0.55 * f));
      }
      probe.unpublish(direct.pc);
      if (result.stun.offered) result.stun = { offered: true, ...(await learnAddress(config.stunServers)) };
      progress(0.8);
      if (result.relay.offered) {
        const relayIce = { iceServers: config.turnServers, iceTransportPolicy: "relay" };
        const relay = await tryPath(probe, stream, relayIce);
        result.relay = { offered: true, connected: relay.ok, ms: relay.ms };
        if (relay.ok && !direct.ok) result.quality = await measureQuality(probe, relay.pc, relayIce, () => {});
        probe.unpublish(relay.pc);
      }
    } catch (error) {
      console.warn("network check", error);
      result.error = String(error && error.message || error);
    } finally {
      stream.stop();
      probe.leave();
    }
    return result;
  }

  function progressTo(step) {
    return (fraction) => {
      const bar = document.getElementById("test-center-progress");
      if (bar) bar.value = Math.round(100 * Math.min(1, fraction));
      if (bar) bar.setAttribute("aria-valuetext", step + " " + Math.round(100 * Math.min(1, fraction)) + " %");
    };
  }

  window.consilioTest = {
    // All steps in order; each result is sent as soon as it is known.
    async run(config) {
      if (running) return;
      running = true;
      try {
        send("browser", await checkBrowser());
        send("camera", await checkCamera());
        send("microphone", await checkMicrophone());
        await fill().catch(() => {});
        if (config) send("network", await checkNetwork(config, progressTo("network")));
      } catch (error) {
        console.error("test center", error);
      } finally {
        running = false;
        send("errors", errors.slice(0, 20));
      }
    },
    playSound,
    take() {
      return outbox.splice(0);
    },
  };
})();
