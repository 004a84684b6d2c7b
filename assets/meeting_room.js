// Binds the meeting client (meeting.js) to the Reflex meeting page: the page calls
// window.consilioRoom.* (rx.call_script); the client reports back by clicking hidden buttons
// whose handlers live in state/meeting.py. Lost connections are retried with backoff; each
// retry asks the app for a fresh pass, which may point to another media node.
// It also has the stage laid out (meeting_stage.js), moves between the control bar's buttons
// with the arrow keys, closes the panel sheet with Escape, and knocks (a short WebAudio chime)
// when a guest starts waiting in the lobby.
(function () {
  "use strict";

  const ids = {
    grid: "meeting-grid",
    self: "meeting-self",
    panel: "meeting-panel",
    panelClose: "meeting-panel-close",
    people: "meeting-people",
    reconnect: "meeting-reconnect",
    connected: "meeting-connected",
    screenOn: "meeting-screen-on",
    screenOff: "meeting-screen-off",
    mediaFailed: "meeting-media-failed",
    snapshotUpload: "meeting-snapshot-upload",
    snapshotSend: "meeting-snapshot-send",
  };
  const MAX_DELAY_MS = 4000;
  const QUALITY_EVERY_MS = 3000;
  const SPEAKER_EVERY_MS = 500;
  const SPEAKING_LEVEL = 0.01; // RMS above which someone counts as speaking
  const SPEAKER_HOLD_MS = 1500; // the emphasis stays at least this long (no flicker)
  let client = null;
  let retry = null;
  let attempts = 0;
  let preview = null;
  let qualityTimer = null;
  let speakerTimer = null;
  let audio = null;
  let chimesPlayed = 0;
  const WIDE = "(min-width: 1024px)"; // the side panel sits beside the stage (meeting.css)

  // The chosen devices survive a reload and the step from the join screen into the room
  // (assets/devices.js, looked up when needed: the scripts may load in any order).
  const chosen = (kind) => window.consilioDevices.chosen(kind);
  const choose = (kind, deviceId) => window.consilioDevices.choose(kind, deviceId);
  const constraint = (kind, base) => window.consilioDevices.constraint(kind, base);
  const fillDeviceSelects = () => window.consilioDevices.fill();

  async function showPreview() {
    if (!window.consilioDevices) return setTimeout(showPreview, 100);
    stopPreview();
    const video = document.getElementById("meeting-preview");
    if (!video) return;
    try {
      preview = await navigator.mediaDevices.getUserMedia({
        audio: constraint("audioinput", {}),
        video: constraint("videoinput", { width: 640, height: 480 }),
      });
      video.srcObject = preview;
      await fillDeviceSelects();
    } catch (error) {
      console.warn("no preview", error);
      click(ids.mediaFailed);
    }
  }

  function stopPreview() {
    if (preview) preview.getTracks().forEach((track) => track.stop());
    preview = null;
  }

  document.addEventListener("change", async (event) => {
    const select = event.target;
    if (!(select instanceof HTMLSelectElement) || !select.dataset.deviceKind) return;
    const kind = select.dataset.deviceKind;
    choose(kind, select.value);
    if (!client) {
      if (kind !== "audiooutput") showPreview();
      return;
    }
    if (kind === "audiooutput") client.setSpeaker(select.value);
    else await client.switchDevice(kind === "audioinput" ? "audio" : "video", select.value);
  });

  function watchQuality() {
    clearInterval(qualityTimer);
    qualityTimer = setInterval(async () => {
      const badge = document.getElementById("meeting-quality");
      if (!client || !badge) return;
      const level = await client.quality();
      if (!level) return;
      badge.dataset.level = level;
      badge.textContent = badge.dataset[level] || level;
    }, QUALITY_EVERY_MS);
  }

  // The loudest remote participant's tile gets class "speaking": outlined everywhere, and on
  // phones shown large above the others (styles.css).
  function watchSpeaker() {
    clearInterval(speakerTimer);
    let current = null;
    let since = 0;
    speakerTimer = setInterval(async () => {
      if (!client) return;
      const levels = await client.audioLevels();
      let loudest = null;
      let top = SPEAKING_LEVEL;
      for (const [feed, level] of levels) {
        if (level > top) [loudest, top] = [feed, level];
      }
      if (loudest && loudest !== current && Date.now() - since > SPEAKER_HOLD_MS) {
        [current, since] = [loudest, Date.now()];
      }
      let changed = false;
      for (const [feed, subscription] of client.subscriptions) {
        const speaking = feed === current;
        changed = changed || subscription.tile.classList.contains("speaking") !== speaking;
        subscription.tile.classList.toggle("speaking", speaking);
      }
      if (changed && window.consilioStage) window.consilioStage.layout();
    }, SPEAKER_EVERY_MS);
  }

  // --- the lobby's knock ----------------------------------------------------------------------
  // Browsers let a page play sound only after a person's gesture; the context is made (or
  // resumed) on the first click or key press. When sound stays blocked, the banner still shows.
  function audioContext() {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!audio && Context) audio = new Context();
    return audio;
  }

  for (const type of ["pointerdown", "keydown"]) {
    document.addEventListener(
      type,
      () => {
        const context = audioContext();
        if (context && context.state === "suspended") context.resume().catch(() => {});
      },
      { capture: true, passive: true }
    );
  }

  function chime(context) {
    const now = context.currentTime;
    [[880, 0], [1318.5, 0.16]].forEach(([frequency, at]) => {
      const tone = context.createOscillator();
      const volume = context.createGain();
      tone.type = "sine";
      tone.frequency.value = frequency;
      volume.gain.setValueAtTime(0.0001, now + at);
      volume.gain.exponentialRampToValueAtTime(0.2, now + at + 0.02);
      volume.gain.exponentialRampToValueAtTime(0.0001, now + at + 0.35);
      tone.connect(volume).connect(context.destination);
      tone.start(now + at);
      tone.stop(now + at + 0.4);
    });
    chimesPlayed += 1;
  }

  function knock() {
    const context = audioContext();
    if (!context) return;
    if (context.state === "running") chime(context);
    else context.resume().then(() => context.state === "running" && chime(context)).catch(() => {});
  }

  // --- keyboard -------------------------------------------------------------------------------
  function panelOpener() {
    return (
      document.querySelector(`[aria-controls="${ids.panel}"][aria-expanded="true"]`) ||
      document.getElementById(ids.people)
    );
  }

  function closePanel() {
    const opener = panelOpener();
    click(ids.panelClose);
    setTimeout(() => opener && opener.focus(), 50);
  }

  document.addEventListener("keydown", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (!target) return;
    const bar = target.closest(".meeting-controls");
    if (bar && (event.key === "ArrowRight" || event.key === "ArrowLeft")) {
      const buttons = [...bar.querySelectorAll("button:not([disabled])")];
      const at = buttons.indexOf(target.closest("button"));
      if (at < 0) return;
      const step = event.key === "ArrowRight" ? 1 : -1;
      buttons[(at + step + buttons.length) % buttons.length].focus();
      event.preventDefault();
    } else if (event.key === "Escape" && !event.defaultPrevented && target.closest(`#${ids.panel}`)) {
      if (!window.matchMedia(WIDE).matches) closePanel();
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest(`#${ids.panelClose}`) && event.isTrusted) {
      const opener = panelOpener();
      setTimeout(() => opener && opener.focus(), 50);
    }
  });

  function click(id) {
    const button = document.getElementById(id);
    if (button) button.click();
  }

  function scheduleReconnect() {
    if (retry || !client || client.closedByUs) return;
    const delay = Math.min(500 * 2 ** attempts, MAX_DELAY_MS);
    attempts += 1;
    retry = setTimeout(() => {
      retry = null;
      click(ids.reconnect);
    }, delay);
  }

  function onEvent(type, detail) {
    if (type === "joined") {
      attempts = 0;
      click(ids.connected);
    } else if (type === "disconnected" && !detail.expected) {
      scheduleReconnect();
    } else if (type === "screen-started") {
      click(ids.screenOn);
    } else if (type === "screen-ended") {
      click(ids.screenOff);
    }
  }

  window.consilioRoom = {
    preview: showPreview,
    async start(config) {
      stopPreview();
      if (client) client.leave();
      attempts = 0;
      client = new window.ConsilioMeeting({
        ...config,
        audioDevice: chosen("audioinput"),
        videoDevice: chosen("videoinput"),
        speaker: chosen("audiooutput"),
        container: document.getElementById(ids.grid),
        localVideo: document.getElementById(ids.self),
        onEvent,
      });
      window.consilioMeetingClient = client;
      watchQuality();
      watchSpeaker();
      if (window.consilioStage) window.consilioStage.watch();
      try {
        await client.start();
        await fillDeviceSelects();
      } catch (error) {
        console.error("meeting start failed", error);
        if (!client.local) click(ids.mediaFailed);
        else scheduleReconnect();
      }
    },
    async reconnect(config) {
      if (!client || client.closedByUs) return;
      try {
        await client.reconnect(config);
      } catch (error) {
        console.warn("reconnect failed", error);
        scheduleReconnect();
      }
    },
    setMuted(kind, muted) {
      if (client) client.setMuted(kind, muted);
    },
    async toggleScreen() {
      if (!client) return;
      if (client.screen) {
        client.stopScreen();
        return;
      }
      try {
        await client.shareScreen();
      } catch (error) {
        console.warn("screen share not started", error);
        click(ids.screenOff);
      }
    },
    async flipCamera() {
      if (!client) return;
      const cameras = (await navigator.mediaDevices.enumerateDevices()).filter(
        (d) => d.kind === "videoinput"
      );
      if (cameras.length < 2) return;
      const now = chosen("videoinput") || cameras[0].deviceId;
      const next = cameras[(cameras.findIndex((d) => d.deviceId === now) + 1) % cameras.length];
      choose("videoinput", next.deviceId);
      await client.switchDevice("video", next.deviceId);
      await fillDeviceSelects();
    },
    // A still of a participant's camera, taken from the picture this browser already shows,
    // handed to the page's hidden upload field and sent to the server.
    async snapshot(participant) {
      const video = [...document.querySelectorAll("#meeting-grid figure.meeting-tile")]
        .filter((tile) => tile.dataset.participant === participant && !tile.classList.contains("remote-screen"))
        .map((tile) => tile.querySelector("video"))[0];
      const input = document.querySelector("#" + ids.snapshotUpload + " input[type=file]");
      if (!video || !video.videoWidth || !input) return;
      const canvas = document.createElement("canvas");
      canvas.width = video.videoWidth;
      canvas.height = video.videoHeight;
      canvas.getContext("2d").drawImage(video, 0, 0);
      const blob = await new Promise((resolve) => canvas.toBlob(resolve, "image/jpeg", 0.9));
      const files = new DataTransfer();
      files.items.add(new File([blob], "snapshot.jpg", { type: "image/jpeg" }));
      input.files = files.files;
      input.dispatchEvent(new Event("change", { bubbles: true }));
      setTimeout(() => click(ids.snapshotSend), 200);
    },
    knock,
    get chimesPlayed() {
      return chimesPlayed;
    },
    leave() {
      clearInterval(qualityTimer);
      clearInterval(speakerTimer);
      if (window.consilioStage) window.consilioStage.unwatch();
      stopPreview();
      if (retry) clearTimeout(retry);
      retry = null;
      if (client) client.leave();
      client = null;
    },
  };

  // The page may mount the join screen before this script has loaded.
  if (document.getElementById("meeting-preview")) showPreview();
})();
