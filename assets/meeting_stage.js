// Places the meeting's video tiles (figure.meeting-tile, added by meeting.js) inside the
// stage so that all of them fit and nothing scrolls: again whenever a tile comes or goes, the
// one speaking changes (meeting_room.js asks) or the stage is resized (a panel opens, the
// phone turns). The stage's frame itself is assets/meeting.css.
(function () {
  "use strict";

  const GRID = "meeting-grid";
  const SELF = "meeting-self";
  let observers = [];

  // Tiles get the largest size at which all of them fit the stage, in a picture-like shape
  // (between portrait 3:4 and 16:9, the video cropped to fill). A shared screen (or, on a
  // narrow stage with several people, the one speaking) is featured, whole, with the others in
  // a strip beside or below it, clear of one's own picture in the corner.
  const GAP = 8;
  const MIN_ASPECT = 3 / 4;
  const MAX_ASPECT = 16 / 9;

  function fit(count, width, height) {
    let best = null;
    for (let cols = 1; cols <= count; cols++) {
      const rows = Math.ceil(count / cols);
      const cellW = (width - GAP * (cols - 1)) / cols;
      const cellH = (height - GAP * (rows - 1)) / rows;
      if (cellW <= 0 || cellH <= 0) continue;
      const aspect = Math.min(MAX_ASPECT, Math.max(MIN_ASPECT, cellW / cellH));
      const w = Math.min(cellW, cellH * aspect);
      const h = w / aspect;
      if (!best || w * h > best.w * best.h) best = { cols, rows, w, h };
    }
    return best;
  }

  function setBox(tile, x, y, w, h) {
    tile.style.left = `${Math.round(x)}px`;
    tile.style.top = `${Math.round(y)}px`;
    tile.style.width = `${Math.floor(w)}px`;
    tile.style.height = `${Math.floor(h)}px`;
  }

  function place(tiles, box) {
    const grid = tiles.length ? fit(tiles.length, box.w, box.h) : null;
    if (!grid) return;
    const top = box.y + (box.h - (grid.rows * grid.h + (grid.rows - 1) * GAP)) / 2;
    tiles.forEach((tile, i) => {
      const row = Math.floor(i / grid.cols);
      const inRow = Math.min(grid.cols, tiles.length - row * grid.cols);
      const left = box.x + (box.w - (inRow * grid.w + (inRow - 1) * GAP)) / 2;
      setBox(tile, left + (i % grid.cols) * (grid.w + GAP), top + row * (grid.h + GAP), grid.w, grid.h);
    });
  }

  function layoutStage() {
    const stage = document.getElementById(GRID);
    if (!stage) return;
    const tiles = [...stage.children].filter((el) => el.classList.contains("meeting-tile"));
    const box = { x: GAP, y: GAP, w: stage.clientWidth - 2 * GAP, h: stage.clientHeight - 2 * GAP };
    if (box.w <= 0 || box.h <= 0) return;
    const screen = tiles.find((tile) => tile.classList.contains("remote-screen"));
    const speaking = tiles.find((tile) => tile.classList.contains("speaking"));
    const featured = screen || (box.w < 640 && tiles.length > 2 ? speaking : null);
    tiles.forEach((tile) => tile.classList.toggle("featured", tile === featured && tiles.length > 1));
    if (!featured || tiles.length === 1) {
      place(tiles, box);
      return;
    }
    const others = tiles.filter((tile) => tile !== featured);
    const self = document.getElementById(SELF);
    const selfBox = self && self.parentElement ? self.parentElement.getBoundingClientRect() : null;
    if (box.w >= box.h) {
      const strip = Math.max(120, Math.min(box.w * 0.22, 320));
      const below = selfBox ? selfBox.height + GAP : 0;
      setBox(featured, box.x, box.y, box.w - strip - GAP, box.h);
      place(others, { x: box.x + box.w - strip, y: box.y, w: strip, h: box.h - below });
    } else {
      const strip = Math.max(90, Math.min(box.h * 0.25, 240));
      const beside = selfBox ? selfBox.width + GAP : 0;
      setBox(featured, box.x, box.y, box.w, box.h - strip - GAP);
      place(others, { x: box.x, y: box.y + box.h - strip, w: box.w - beside, h: strip });
    }
  }

  function unwatch() {
    observers.forEach((observer) => observer.disconnect());
    observers = [];
  }

  function watch() {
    unwatch();
    const stage = document.getElementById(GRID);
    if (!stage) return;
    const resize = new ResizeObserver(() => layoutStage());
    resize.observe(stage);
    const tiles = new MutationObserver(() => layoutStage());
    tiles.observe(stage, { childList: true });
    observers = [resize, tiles];
    layoutStage();
  }

  window.consilioStage = { watch, unwatch, layout: layoutStage };
})();
