// The person's choice of camera, microphone and speaker, shared by the meeting room and the
// test center: remembered in localStorage, offered in every <select data-device-kind>.
(function () {
  "use strict";

  const KINDS = { audioinput: "audioDevice", videoinput: "videoDevice", audiooutput: "speaker" };

  function chosen(kind) {
    return localStorage.getItem("consilio." + KINDS[kind]) || "";
  }

  function choose(kind, deviceId) {
    localStorage.setItem("consilio." + KINDS[kind], deviceId);
  }

  // Fill every <select data-device-kind> on the page with the browser's devices; a field
  // stays hidden while the browser offers no device of its kind.
  async function fill() {
    const devices = await navigator.mediaDevices.enumerateDevices();
    for (const select of document.querySelectorAll("select[data-device-kind]")) {
      const kind = select.dataset.deviceKind;
      const own = devices.filter((d) => d.kind === kind);
      select.replaceChildren(
        ...own.map((d, i) => new Option(d.label || select.dataset.fallback + " " + (i + 1), d.deviceId))
      );
      if (chosen(kind)) select.value = chosen(kind);
      select.closest("[data-device-field]")?.toggleAttribute("hidden", own.length === 0);
    }
  }

  // A constraint for getUserMedia that asks for the chosen device of ``kind`` (if any).
  function constraint(kind, base) {
    return chosen(kind) ? { ...base, deviceId: { exact: chosen(kind) } } : base;
  }

  window.consilioDevices = { chosen, choose, fill, constraint };
})();
