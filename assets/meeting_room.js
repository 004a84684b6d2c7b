// Binds the meeting client (meeting.js) to the Reflex meeting page: the page calls
// window.consilioRoom.* (rx.call_script); the client reports back by clicking hidden buttons
// whose handlers live in state/meeting.py. Lost connections are retried with backoff; each
// retry asks the app for a fresh pass, which may point to another media node.
(function () {
  "use strict";

  const ids = {
    grid: "meeting-grid",
    self: "meeting-self",
    reconnect: "meeting-reconnect",
    connected: "meeting-connected",
    screenOn: "meeting-screen-on",
    screenOff: "meeting-screen-off",
    mediaFailed: "meeting-media-failed",
  };
  const MAX_DELAY_MS = 4000;
  let client = null;
  let retry = null;
  let attempts = 0;

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
    async start(config) {
      if (client) client.leave();
      attempts = 0;
      client = new window.ConsilioMeeting({
        ...config,
        container: document.getElementById(ids.grid),
        localVideo: document.getElementById(ids.self),
        onEvent,
      });
      window.consilioMeetingClient = client;
      try {
        await client.start();
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
    leave() {
      if (retry) clearTimeout(retry);
      retry = null;
      if (client) client.leave();
      client = null;
    },
  };
})();
