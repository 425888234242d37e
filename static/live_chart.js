// Plotly charts that update in place (see ui/live_chart.py). A panel is mounted once per
// Streamlit key: a stats line and one cell per chart (title + plot div), laid out by CSS
// grid. Every update hands each changed figure to Plotly.react on the same div, so charts
// keep their zoom and never flash. plotly.js is the copy shipped inside the installed
// `plotly` Python package, served by Streamlit's static file serving.
//
// Drawing is scheduled, not done on arrival: one requestAnimationFrame loop for all
// charts of the page draws the charts whose figure changed, the longest-waiting first,
// and stops for this animation frame once BUDGET_MS is spent. A chart that misses a frame
// draws its newest figure in the next; nothing queues up, and the page stays responsive
// (controls answer) however slow the machine is.

const BUDGET_MS = 14;
const pending = new Set(); // plot divs with a figure not yet drawn
let scheduled = false;

const PANEL_CSS = `
.live-panel { display: grid; gap: 0.4rem 1.6rem; align-items: start; }
.live-panel .stats { display: flex; gap: 0.4rem 1.8rem; flex-wrap: wrap; margin: 0.1rem 0 0.3rem 0; }
.live-panel .stat-label { font-size: 0.85rem; color: #5f6368; }
.live-panel .stat-value { font-size: 1.7rem; font-variant-numeric: tabular-nums; }
.live-panel .cell-title { font-size: 0.95rem; margin: 0.2rem 0 0.1rem 0; }
.live-panel .live-chart.clickable { cursor: crosshair; }
.live-panel .live-overlays img { position: absolute; pointer-events: none; image-rendering: auto; }
.live-panel .live-overlays { position: absolute; left: 0; top: 0; width: 0; height: 0; }
`;

function injectCss() {
  if (document.getElementById("live-panel-css")) return;
  const style = document.createElement("style");
  style.id = "live-panel-css";
  style.textContent = PANEL_CSS;
  document.head.appendChild(style);
}

function loadPlotly(src) {
  if (!window.__plotlyPromise) {
    window.__plotlyPromise = new Promise((resolve, reject) => {
      const script = document.createElement("script");
      script.src = src;
      script.onload = () => resolve(window.Plotly);
      script.onerror = () => reject(new Error("could not load " + src));
      document.head.appendChild(script);
    });
  }
  return window.__plotlyPromise;
}

// Deep equality for JSON values (typed arrays arrive as {dtype, bdata} strings).
function same(a, b) {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!same(a[k], b[k])) return false;
  return true;
}

// Plotly.react treats data as immutable: a trace that arrives as a new object is
// recomputed. Traces equal to the previous figure's are handed back as the same objects.
function reuseUnchanged(previous, next) {
  if (!previous) return next;
  return next.map((trace, i) => (i < previous.length && same(previous[i], trace) ? previous[i] : trace));
}

function draw(div) {
  const { figureJson, config } = div.__pending;
  const figure = JSON.parse(figureJson);
  div.__pending = null;
  pending.delete(div);
  const started = performance.now();
  const data = reuseUnchanged(div.__data, figure.data);
  div.__data = data;
  window.Plotly.react(div, data, figure.layout, config || {});
  if (!div.__placesOverlays) {
    div.__placesOverlays = true;
    div.on("plotly_afterplot", () => placeOverlays(div)); // after every redraw, zoom, resize
  }
  placeOverlays(div);
  const took = performance.now() - started;
  div.dataset.frames = String((Number(div.dataset.frames) || 0) + 1);
  div.dataset.drawMs = String((Number(div.dataset.drawMs) || 0) + took);
}

// The pictures of a chart are <img> elements over the plot, placed in pixels from the
// data coordinates of their top-left corner and size, with the axes Plotly laid out.
function placeOverlays(div) {
  const layout = div._fullLayout;
  const holder = div.__overlayHolder;
  if (!layout || !layout.xaxis || !layout.yaxis || !holder) return;
  // Between Plotly's two layers: above the traces (links end under the pictures), below
  // the top layer with the annotations and the hover labels.
  const top = layout._toppaper && layout._toppaper.node();
  if (top && holder.nextSibling !== top) top.parentNode.insertBefore(holder, top);
  const xa = layout.xaxis;
  const ya = layout.yaxis;
  (div.__overlays || []).forEach((o, i) => {
    const img = holder.children[i];
    if (!img) return;
    const left = xa._offset + xa.l2p(o.x);
    const top = ya._offset + ya.l2p(o.y);
    img.style.left = left + "px";
    img.style.top = top + "px";
    img.style.width = xa._offset + xa.l2p(o.x + o.sizex) - left + "px";
    img.style.height = ya._offset + ya.l2p(o.y - o.sizey) - top + "px";
  });
}

function setOverlays(div, overlays) {
  if (!div.__overlayHolder) {
    const holder = document.createElement("div");
    holder.className = "live-overlays";
    div.__overlayHolder = holder; // attached inside Plotly's container when first placed
  }
  const holder = div.__overlayHolder;
  while (holder.children.length > overlays.length) holder.lastChild.remove();
  let swapped = false;
  overlays.forEach((o, i) => {
    let img = holder.children[i];
    if (!img) {
      img = document.createElement("img");
      holder.appendChild(img);
    }
    const source = o.source.startsWith("asset:") ? lookup(o.source) : o.source;
    if (source && img.getAttribute("src") !== source) {
      img.setAttribute("src", source);
      swapped = true;
    }
  });
  if (swapped) div.dataset.pictures = String((Number(div.dataset.pictures) || 0) + 1);
  const moved = JSON.stringify((div.__overlays || []).map((o) => [o.x, o.y, o.sizex, o.sizey])) !==
    JSON.stringify(overlays.map((o) => [o.x, o.y, o.sizex, o.sizey]));
  div.__overlays = overlays;
  if (moved) placeOverlays(div);
}

function drawSome() {
  scheduled = false;
  const start = performance.now();
  const queue = [...pending].sort((a, b) => a.__waitingSince - b.__waitingSince);
  for (const div of queue) {
    if (performance.now() - start > BUDGET_MS) break; // the rest waits for the next frame
    if (div.isConnected) draw(div);
    else pending.delete(div);
  }
  if (pending.size) schedule();
}

function schedule() {
  if (!scheduled) {
    scheduled = true;
    requestAnimationFrame(drawSome);
  }
}

// A click anywhere on the plotting area reports its data coordinates (Plotly's own click
// event needs a trace under the pointer; the pictures here are images).
function bindClicks(div, name, setTriggerValue) {
  div.addEventListener("click", (event) => {
    const layout = div._fullLayout;
    if (!div.classList.contains("clickable") || !layout || !layout.xaxis || !layout.yaxis) return;
    const box = div.getBoundingClientRect();
    const px = event.clientX - box.left - layout.xaxis._offset;
    const py = event.clientY - box.top - layout.yaxis._offset;
    if (px < 0 || py < 0 || px > layout.xaxis._length || py > layout.yaxis._length) return;
    setTriggerValue("click", { chart: name, x: layout.xaxis.p2d(px), y: layout.yaxis.p2d(py), at: Date.now() });
  });
}

// Large pictures arrive once as assets and are referenced as "asset:<hash>" (see
// ui/live_chart.py). A reference the browser lacks (a skipped update carried it) keeps
// the picture shown in that place until the server re-sends it.
const MAX_ASSETS = 1024; // many more than the server assumes we keep (ui/live_chart.py ASSET_MEMORY_UPDATES)
const assets = new Map();

function remember(newAssets) {
  for (const [ref, source] of Object.entries(newAssets || {})) {
    assets.delete(ref);
    assets.set(ref, source);
  }
  while (assets.size > MAX_ASSETS) assets.delete(assets.keys().next().value);
}

// A picture in use moves to the newest end: the server keeps referring to a picture that
// does not change (the data points) without sending it again, so it must never be evicted.
function lookup(ref) {
  const source = assets.get(ref);
  if (source !== undefined) {
    assets.delete(ref);
    assets.set(ref, source);
  }
  return source;
}

function cellFor(panel, chart, setTriggerValue) {
  let cell = panel.querySelector(`:scope > [data-chart="${CSS.escape(chart.id)}"]`);
  if (!cell) {
    cell = document.createElement("div");
    cell.dataset.chart = chart.id;
    cell.innerHTML = '<div class="cell-title"></div><div class="plot-box"><div class="live-chart"></div></div>';
    panel.appendChild(cell);
    bindClicks(cell.querySelector("div.live-chart"), chart.id, setTriggerValue);
  }
  return cell;
}

// An update brings one or more frames ({charts, stats}): one run of the server's fragment
// makes several while training plays (ui/live_loop.FRAMES_PER_UPDATE). While playing, frames
// are queued and shown one by one, spread evenly over the time expected until the next
// update (a running mean of the gaps between updates), so the pictures move steadily
// whatever the server's load. An update that is not playing (Pause, Step, a new setting)
// is shown at once: the frames still queued are applied first, undrawn, so that a figure
// they carried (the next update sends it as null, "you have it") is not lost.
const FIRST_SPACING_MS = 25;
const MIN_SPACING_MS = 8;
const MAX_SPACING_MS = 600;

function playback(panel) {
  if (!panel.__playback) panel.__playback = { queue: [], timer: null, lastArrival: null, gap: null, spacing: 0 };
  return panel.__playback;
}

function enqueue(panel, spec, setTriggerValue) {
  const p = playback(panel);
  const items = spec.frames.map((frame) => ({ frame, spec, setTriggerValue }));
  const now = performance.now();
  window.__liveFramesIn = (window.__liveFramesIn || 0) + items.length; // read by benchmarks/live.py
  window.__liveUpdatesIn = (window.__liveUpdatesIn || 0) + 1;
  if (!spec.playing) {
    clearTimeout(p.timer);
    const waiting = p.queue.concat(items);
    Object.assign(p, { queue: [], timer: null, lastArrival: null, gap: null });
    for (const item of waiting) showFrame(panel, item);
    schedule();
    return;
  }
  if (p.lastArrival !== null) {
    const gap = now - p.lastArrival;
    p.gap = p.gap === null ? gap : 0.7 * p.gap + 0.3 * gap;
  }
  p.lastArrival = now;
  p.queue.push(...items);
  // A browser too slow for every frame (a big network on a slow machine) must not fall
  // ever further behind: beyond two updates' worth, the oldest frames are applied at once,
  // undrawn (their figures may be needed: the next ones can say "unchanged").
  while (p.queue.length > 2 * items.length) showFrame(panel, p.queue.shift());
  const expected = p.gap === null ? FIRST_SPACING_MS * items.length : p.gap;
  p.spacing = Math.min(MAX_SPACING_MS, Math.max(MIN_SPACING_MS, expected / p.queue.length));
  if (p.timer === null) showNext(panel);
}

function showNext(panel) {
  const p = playback(panel);
  p.timer = null;
  if (!panel.isConnected) {
    p.queue = [];
    return;
  }
  const item = p.queue.shift();
  if (!item) return;
  showFrame(panel, item);
  window.__liveFramesShown = (window.__liveFramesShown || 0) + 1;
  schedule();
  if (p.queue.length) p.timer = setTimeout(() => showNext(panel), p.spacing);
}

function showFrame(panel, { frame, spec, setTriggerValue }) {
  const grid = spec.grid || {};
  const stats = panel.firstChild;
  stats.style.display = frame.stats ? "" : "none";
  if (frame.stats && stats.__html !== frame.stats) {
    stats.innerHTML = frame.stats; // our own HTML (numbers), never user input
    stats.__html = frame.stats;
  }
  const names = new Set(frame.charts.map((c) => c.id));
  for (const cell of panel.querySelectorAll(":scope > [data-chart]")) {
    if (!names.has(cell.dataset.chart)) cell.remove();
  }
  const now = performance.now();
  const configJson = JSON.stringify(spec.config);
  for (const chart of frame.charts) {
    const cell = cellFor(panel, chart, setTriggerValue);
    if (grid.areas) cell.style.gridArea = chart.id;
    const title = cell.firstChild;
    if (title.__html !== chart.title) {
      title.innerHTML = chart.title; // our own headings, never user input
      title.__html = chart.title;
      title.style.display = chart.title ? "" : "none";
    }
    const div = cell.querySelector("div.live-chart");
    div.classList.toggle("clickable", Boolean(chart.clickable));
    setOverlays(div, chart.overlays || []);
    const configChanged = div.__configJson !== configJson; // e.g. static while playing, interactive after
    // null: the server knows this browser has the figure already
    if (!configChanged && (chart.figure === null || div.__figureJson === chart.figure)) continue;
    if (chart.figure !== null) div.__figureJson = chart.figure;
    if (!div.__figureJson) continue;
    div.__configJson = configJson;
    if (!div.__pending) div.__waitingSince = now;
    div.__pending = { figureJson: div.__figureJson, config: spec.config };
    pending.add(div);
  }
}

export default async function (component) {
  const { data, parentElement, setTriggerValue } = component;
  if (parentElement.__raw === data) return; // the very same update again
  parentElement.__raw = data;
  const spec = JSON.parse(data);
  remember(spec.assets);
  injectCss();
  let panel = parentElement.querySelector("div.live-panel");
  if (!panel) {
    panel = document.createElement("div");
    panel.className = "live-panel";
    panel.innerHTML = '<div class="stats"></div>';
    parentElement.appendChild(panel);
    window.__liveChartMounts = (window.__liveChartMounts || 0) + 1;
  }
  const grid = spec.grid || {};
  panel.style.gridTemplateColumns = grid.columns || "1fr";
  panel.style.gridTemplateAreas = grid.areas || "";
  const stats = panel.firstChild;
  // With named areas the stats line needs one too ("stats"), or the grid places it last.
  const statsArea = Boolean(grid.areas && grid.areas.includes("stats"));
  // grid-area is a shorthand of grid-column too: set the column first, then the area.
  stats.style.gridColumn = statsArea ? "" : "1 / -1"; // without areas: first, full width
  stats.style.gridArea = statsArea ? "stats" : "";
  await loadPlotly(new URL(spec.plotly_src, document.baseURI).href);
  enqueue(panel, spec, setTriggerValue);
}
