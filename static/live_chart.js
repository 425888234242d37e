// The browser side of the live panel: Plotly charts that update in place. The protocol
// between this file and the Python side (ui/live/panel.py) — the payload, the frames queue
// while playing or paused, assets, overlays, clicks, the grid and the stats line — is
// written down in ONE place, docs/live_panel.md. Change both sides and that doc together.
//
// How this file is organised:
// - A panel is mounted once per component instance: a stats line and one cell per chart
//   (title + plot div), laid out by CSS grid. Every changed figure goes to Plotly.react on
//   the same div, so charts keep their zoom and never flash.
// - Everything kept about a panel or a chart lives in the declared records PanelState and
//   ChartState (a module-level WeakMap from the component's host element to its panel),
//   never in ad-hoc properties of DOM elements.
// - plotly.js's private internals are read in one function only, plotGeometry().
// - Drawing is scheduled, not done on arrival: one requestAnimationFrame loop for all
//   charts of the page draws the charts whose figure changed, the longest-waiting first,
//   and stops for this animation frame once BUDGET_MS is spent. A chart that misses a frame
//   draws its newest figure in the next; nothing queues up, and the page stays responsive
//   (controls answer) however slow the machine is.

const BUDGET_MS = 14;

// Colours come from the page's theme (ui/live/theme.py sets --nnp-* on :root for the dark
// and projector themes); the fallbacks are the light theme's.
const PANEL_CSS = `
.live-panel { display: grid; gap: 0.4rem 1.6rem; align-items: start; }
.live-panel > .stats { grid-column: 1 / -1; }
.live-panel .stats { display: flex; gap: 0.4rem 1.8rem; flex-wrap: wrap; margin: 0.1rem 0 0.3rem 0; }
.live-panel .stat-label { font-size: 0.85rem; color: var(--nnp-muted, #5f6368); }
.live-panel .stat-value { font-size: 1.7rem; font-variant-numeric: tabular-nums; }
.live-panel .cell-title { font-size: 0.95rem; margin: 0.2rem 0 0.1rem 0; }
.live-panel .live-chart.clickable { cursor: crosshair; }
.live-panel .live-overlays img { position: absolute; pointer-events: none; image-rendering: auto; }
.live-panel .live-overlays { position: absolute; left: 0; top: 0; width: 0; height: 0; }
.live-panel .live-overlays .live-label { position: absolute; pointer-events: none; white-space: pre;
  line-height: 1.15; padding: 0 0.25em; transform: translateY(-50%);
  font-variant-numeric: tabular-nums; }
.live-panel .live-note { font-size: 0.9rem; overflow-x: auto; line-height: 1.35; }
.live-note p { margin: 0.2rem 0; }
.live-note .trace-layers { display: flex; flex-wrap: wrap; gap: 0.2rem 1.6rem; align-items: flex-start; }
.live-note .trace-title { font-weight: 600; margin-top: 0.45rem; }
.live-note .trace-small { font-size: 0.8rem; color: var(--nnp-muted, #5f6368); }
.live-note .trace-problem { color: var(--nnp-problem, #b3261e); }
.live-note table.trace-table { border-collapse: collapse; font-variant-numeric: tabular-nums; margin: 0.1rem 0; }
.live-note .trace-table th { text-align: left; font-weight: 400; color: var(--nnp-muted, #5f6368); padding: 0 0.7rem 0 0; white-space: nowrap; }
.live-note .trace-table td { text-align: right; padding: 0 0.45rem; min-width: 3.2rem; white-space: nowrap; }
.live-note .trace-table tr.names td { text-align: right; }
.live-note .trace-table tr.bias td, .live-note .trace-table tr.bias th { border-bottom: 1px solid var(--nnp-rule, #c4c7c5); font-style: italic; }
.live-note .trace-table tr.a td { color: var(--nnp-ink, #202124); }
`;

// ---- State ------------------------------------------------------------------------------

/** One panel: one component instance, keyed in `panels` by its host element. */
class PanelState {
  constructor(host) {
    this.host = host; // the component's parentElement
    this.element = null; // div.live-panel
    this.stats = null; // div.stats, the panel's first child
    this.statsHtml = null; // the HTML the stats line shows
    this.raw = null; // the last payload string: the very same one again is ignored
    this.setTriggerValue = null; // the component's, from its latest call
    this.missing = false; // a frame referred to a figure or picture this browser never got
    this.charts = new Map(); // chart id -> ChartState, in the order the cells were made
    // Playback of the frames of playing updates (see enqueue)
    this.queue = []; // [{frame, spec}] waiting to be shown
    this.timer = null; // setTimeout of the next frame, or null
    this.lastArrival = null; // performance.now() of the last playing update, or null
    this.gap = null; // running mean of the gaps between playing updates (ms), or null
    this.spacing = 0; // ms between two frames shown
  }
}

/** One chart of a panel: its cell, its plot div (Plotly's graph div) and what it shows. */
class ChartState {
  constructor(panel, id) {
    this.panel = panel; // the PanelState it belongs to
    this.id = id;
    this.cell = document.createElement("div");
    this.cell.dataset.chart = id;
    this.cell.innerHTML = '<div class="cell-title"></div><div class="plot-box"><div class="live-chart"></div></div>';
    this.title = this.cell.firstChild;
    this.div = this.cell.querySelector("div.live-chart");
    this.titleHtml = null; // the HTML the title shows
    this.clickable = false;
    this.figureJson = null; // the newest figure received (a JSON string), or null before any
    this.figureId = null; // the server's digest of that figure (its figure_id)
    this.noteShape = null; // a note's markup without its text (see setNoteHtml)
    this.configJson = null; // the Plotly config (JSON) it was last scheduled with
    this.traces = null; // the traces last handed to Plotly.react (see reuseUnchanged)
    this.pending = null; // {figureJson, config} waiting to be drawn, or null
    this.waitingSince = 0; // performance.now() when `pending` was set from null
    this.listening = false; // the plotly_afterplot handler is bound
    this.overlays = []; // the overlays ({source, x, y, sizex, sizey, layer}) of the frame shown
    this.overlayHolder = document.createElement("div"); // put inside Plotly's container when placed
    this.overlayHolder.className = "live-overlays";
    this.belowHolder = document.createElement("div"); // the pictures of layer "below", under the paper
    this.belowHolder.className = "live-overlays below";
  }
}

const panels = new WeakMap(); // component host element -> PanelState
const pending = new Set(); // ChartStates with a figure not yet drawn
let drawScheduled = false;
let plotlyPromise = null; // plotly.js is loaded once per page

// Counters read from outside (benchmarks/live.py and the browser tests), hence on window;
// listed in docs/live_panel.md.
function count(name, n = 1) {
  window[name] = (window[name] || 0) + n;
}

// ---- Plotly internals -------------------------------------------------------------------
// THE ONLY PLACE THAT READS PLOTLY.JS'S PRIVATE STATE. plotly.js has no public API telling
// where it laid out the plotting area, converting between data coordinates and pixels, or
// giving its SVG layers; the overlays (pictures placed in data coordinates) and the clicks
// (anywhere on the plotting area, not only on a trace) need all three. What is read:
//   gd._fullLayout.xaxis / .yaxis: _offset and _length (the plotting area, px in the div),
//     l2p(value) -> px from _offset, p2d(px from _offset) -> value
//   gd._fullLayout._paper: d3 selection of the first SVG layer (backgrounds, axes, traces)
//   gd._fullLayout._toppaper: d3 selection of the top SVG layer (annotations, hover labels)
// These are the plotly.js shipped in the `plotly` Python package, pinned to an exact version
// in pyproject.toml for that reason: an upgrade must check them. The JS-only test
// (tests/browser/test_live_chart_js.py) fakes exactly these in its stub Plotly.
function plotGeometry(div) {
  const full = div._fullLayout;
  const xa = full && full.xaxis;
  const ya = full && full.yaxis;
  if (!xa || !ya || typeof xa.l2p !== "function" || typeof ya.l2p !== "function") return null; // not drawn yet
  return {
    left: xa._offset,
    top: ya._offset,
    width: xa._length,
    height: ya._length,
    toPixels: (x, y) => ({ left: xa._offset + xa.l2p(x), top: ya._offset + ya.l2p(y) }),
    toData: (left, top) => ({ x: xa.p2d(left - xa._offset), y: ya.p2d(top - ya._offset) }),
    paper: full._paper ? full._paper.node() : null,
    topLayer: full._toppaper ? full._toppaper.node() : null,
  };
}

// ---- Loading ------------------------------------------------------------------------------

function injectCss() {
  let style = document.getElementById("live-panel-css");
  if (!style) {
    style = document.createElement("style");
    style.id = "live-panel-css";
    document.head.appendChild(style);
  }
  if (style.textContent !== PANEL_CSS) style.textContent = PANEL_CSS; // an older copy of this file put its own
}

// plotly.js, loaded once. A load that fails (the server restarting while the page loads:
// a lecture hall's worker) is tried again every second, and is not remembered as failed:
// the next update tries again too. Without this the panel stayed empty until a reload.
function loadPlotly(src) {
  if (window.Plotly) return Promise.resolve(window.Plotly);
  if (!plotlyPromise) {
    plotlyPromise = (async () => {
      for (let attempt = 0; ; attempt++) {
        try {
          return await loadScript(attempt ? `${src}&attempt=${attempt}` : src);
        } catch (error) {
          if (attempt >= 30) {
            plotlyPromise = null;
            throw error;
          }
          await new Promise((resolve) => setTimeout(resolve, 1000));
        }
      }
    })();
  }
  return plotlyPromise;
}

function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.onload = () => resolve(window.Plotly);
    script.onerror = () => {
      script.remove();
      reject(new Error("could not load " + src));
    };
    document.head.appendChild(script);
  });
}

// ---- Drawing ------------------------------------------------------------------------------

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

function draw(chart) {
  const { figureJson, config } = chart.pending;
  chart.pending = null;
  pending.delete(chart);
  const figure = JSON.parse(figureJson);
  const div = chart.div;
  const started = performance.now();
  chart.traces = reuseUnchanged(chart.traces, figure.data);
  window.Plotly.react(div, chart.traces, figure.layout, config || {});
  if (!chart.listening) {
    chart.listening = true;
    div.on("plotly_afterplot", () => placeOverlays(chart)); // after every redraw, zoom, resize
  }
  placeOverlays(chart);
  const took = performance.now() - started;
  // Read by benchmarks/live.py: draws and time spent drawing, per chart.
  div.dataset.frames = String((Number(div.dataset.frames) || 0) + 1);
  div.dataset.drawMs = String((Number(div.dataset.drawMs) || 0) + took);
}

function drawSome() {
  drawScheduled = false;
  const start = performance.now();
  const queue = [...pending].sort((a, b) => a.waitingSince - b.waitingSince);
  for (const chart of queue) {
    if (performance.now() - start > BUDGET_MS) break; // the rest waits for the next frame
    if (chart.div.isConnected) draw(chart);
    else pending.delete(chart);
  }
  if (pending.size) scheduleDraw();
}

function scheduleDraw() {
  if (!drawScheduled) {
    drawScheduled = true;
    requestAnimationFrame(drawSome);
  }
}

// ---- Overlays and assets ------------------------------------------------------------------

// The pictures of a chart are <img> elements over the plot, placed in pixels from the
// data coordinates of their top-left corner and size, with the axes Plotly laid out.
// Each layer has its holder: [holder, its overlays] for "below", then for "above".
function layers(chart, overlays) {
  return [
    [chart.belowHolder, overlays.filter((o) => o.layer === "below")],
    [chart.overlayHolder, overlays.filter((o) => o.layer !== "below")],
  ];
}

function placeOverlays(chart) {
  const geometry = plotGeometry(chart.div);
  if (!geometry) return;
  // "above" (Plotly's default): between Plotly's two layers, above the traces (links end
  // under the pictures), below the top layer with the annotations and the hover labels.
  // "below": under the paper, so the traces, axes and markers are drawn over the picture
  // (the Python side made that figure's backgrounds transparent).
  const { paper, topLayer } = geometry;
  const above = chart.overlayHolder;
  if (topLayer && above.nextSibling !== topLayer) topLayer.parentNode.insertBefore(above, topLayer);
  const below = chart.belowHolder;
  if (paper && below.nextSibling !== paper) paper.parentNode.insertBefore(below, paper);
  for (const [holder, list] of layers(chart, chart.overlays)) {
    list.forEach((o, i) => {
      const img = holder.children[i];
      if (!img) return;
      const corner = geometry.toPixels(o.x, o.y);
      if (o.kind === "text") {
        // A label: its left edge at x, its middle at y (translateY(-50%)), the font scaled
        // with the plot's width.
        img.style.left = corner.left + "px";
        img.style.top = corner.top + "px";
        img.style.fontSize = (o.scale * geometry.width).toFixed(2) + "px";
        return;
      }
      const opposite = geometry.toPixels(o.x + o.sizex, o.y - o.sizey);
      img.style.left = corner.left + "px";
      img.style.top = corner.top + "px";
      img.style.width = opposite.left - corner.left + "px";
      img.style.height = opposite.top - corner.top + "px";
    });
  }
}

function setOverlays(chart, overlays) {
  let swapped = false;
  for (const [holder, list] of layers(chart, overlays)) {
    while (holder.children.length > list.length) holder.lastChild.remove();
    list.forEach((o, i) => {
      const tag = o.kind === "text" ? "DIV" : "IMG";
      let img = holder.children[i];
      if (img && img.tagName !== tag) {
        img.remove(); // a label where a picture was, or the other way round
        img = null;
      }
      if (!img) {
        img = document.createElement(tag);
        holder.insertBefore(img, holder.children[i] || null);
      }
      if (o.kind === "text") {
        setLabel(img, o);
        return;
      }
      const source = o.source.startsWith("asset:") ? lookup(o.source) : o.source;
      if (!source) chart.panel.missing = true; // a picture the server thinks we have
      if (source && img.getAttribute("src") !== source) {
        img.setAttribute("src", source);
        swapped = true;
      }
      img.style.imageRendering = o.crisp ? "pixelated" : ""; // cells stay cells when scaled up
    });
  }
  // Read by benchmarks/live.py: how often a chart's pictures changed.
  if (swapped) chart.div.dataset.pictures = String((Number(chart.div.dataset.pictures) || 0) + 1);
  const where = (list) => JSON.stringify(list.map((o) => [o.kind, o.layer, o.x, o.y, o.sizex, o.sizey, o.scale]));
  const moved = where(chart.overlays) !== where(overlays);
  chart.overlays = overlays;
  if (moved) placeOverlays(chart);
}

// A text label (a traced point's numbers beside a neuron): only what changed is set, so a
// frame whose numbers moved costs the browser the new text's layout, not a new picture.
function setLabel(div, o) {
  div.className = "live-label";
  const text = o.lines.join("\n");
  if (div.textContent !== text) div.textContent = text;
  const look = `${o.color} ${o.backing}`; // the theme's ink and paper
  if (div.dataset.look !== look) {
    div.dataset.look = look;
    div.style.color = o.color;
    div.style.background = o.backing;
  }
}

// Large pictures arrive once as assets and are referenced as "asset:<hash>". A reference
// the browser lacks (a skipped update carried it) keeps the picture shown in that place
// until the server re-sends it.
const MAX_ASSETS = 1024; // many more than the server assumes we keep (ui/live/panel.py ASSET_MEMORY_UPDATES)
const assets = new Map(); // "asset:<hash>" -> data URL, least recently used first

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

// ---- Clicks -------------------------------------------------------------------------------

// A click anywhere on the plotting area of a clickable chart reports its data coordinates
// (Plotly's own click event needs a trace under the pointer; the pictures here are images).
function bindClicks(chart) {
  chart.div.addEventListener("click", (event) => {
    const geometry = plotGeometry(chart.div);
    const report = chart.panel.setTriggerValue;
    if (!chart.clickable || !geometry || !report) return;
    const box = chart.div.getBoundingClientRect();
    const left = event.clientX - box.left;
    const top = event.clientY - box.top;
    const inside =
      left >= geometry.left &&
      top >= geometry.top &&
      left <= geometry.left + geometry.width &&
      top <= geometry.top + geometry.height;
    if (!inside) return;
    const { x, y } = geometry.toData(left, top);
    report("click", { chart: chart.id, x, y, at: Date.now() });
  });
}

// ---- Panel and frames ---------------------------------------------------------------------

function mount(host) {
  injectCss();
  // A panel this module did not build (an older copy of this file, before a new version of
  // it was imported) has no state here: it is replaced.
  for (const old of host.querySelectorAll(":scope > div.live-panel")) old.remove();
  const state = new PanelState(host);
  state.element = document.createElement("div");
  state.element.className = "live-panel";
  state.element.innerHTML = '<div class="stats"></div>';
  state.stats = state.element.firstChild;
  host.appendChild(state.element);
  panels.set(host, state);
  count("__liveChartMounts");
  return state;
}

// The grid: columns, and named areas (chart ids, and "stats" for the stats line). The
// stats line spans the full width by the stylesheet (grid-column: 1 / -1); only when the
// areas name a "stats" area is it put there instead. (grid-area is a shorthand that also
// sets grid-column, so the two are never both set inline.)
function layOut(state, grid) {
  const { columns, areas } = grid || {};
  state.element.style.gridTemplateColumns = columns || "1fr";
  state.element.style.gridTemplateAreas = areas || "";
  const named = areas ? areas.split(/[\s'"]+/) : [];
  state.stats.style.gridArea = named.includes("stats") ? "stats" : "";
}

function chartFor(state, id) {
  let chart = state.charts.get(id);
  if (!chart) {
    chart = new ChartState(state, id);
    state.charts.set(id, chart);
    state.element.appendChild(chart.cell);
    bindClicks(chart);
  }
  return chart;
}

// A note's HTML. Frame after frame only its numbers change (a traced point's): when the
// markup is the same but for its text, the text nodes are changed in place, so the
// browser keeps its elements (no new nodes to build and lay out on every frame).
function htmlShape(html) {
  return html.replace(/>[^<]*</g, "><");
}

function setNoteHtml(chart, html) {
  const shape = htmlShape(html);
  if (chart.noteShape !== shape) {
    chart.div.innerHTML = html;
    chart.noteShape = shape;
    return;
  }
  const fresh = document.createElement("template");
  fresh.innerHTML = html;
  const now = document.createTreeWalker(chart.div, NodeFilter.SHOW_TEXT);
  const next = document.createTreeWalker(fresh.content, NodeFilter.SHOW_TEXT);
  let a = now.nextNode();
  let b = next.nextNode();
  while (a && b) {
    if (a.nodeValue !== b.nodeValue) a.nodeValue = b.nodeValue;
    a = now.nextNode();
    b = next.nextNode();
  }
  if (a || b) chart.div.innerHTML = html; // the text nodes did not pair up after all
}

// An update brings one or more frames ({charts, stats}). While playing, frames are queued
// and shown one by one, spread evenly over the time expected until the next update (a
// running mean of the gaps between updates), so the pictures move steadily whatever the
// server's load. An update that is not playing (Pause, Step, a new setting) is shown at
// once: the frames still queued are applied first, undrawn, so that a figure they carried
// (the next update sends it as null, "you have it") is not lost.
const FIRST_SPACING_MS = 25;
const MIN_SPACING_MS = 8;
const MAX_SPACING_MS = 600;

function enqueue(state, spec) {
  const items = spec.frames.map((frame) => ({ frame, spec }));
  const now = performance.now();
  count("__liveFramesIn", items.length);
  count("__liveUpdatesIn");
  // Whether the panel still plays frames out: "false" once a paused update is shown (what
  // tests wait for before they read the stats line, instead of a fixed time).
  state.element.dataset.playing = String(Boolean(spec.playing));
  if (!spec.playing) {
    clearTimeout(state.timer);
    const waiting = state.queue.concat(items);
    Object.assign(state, { queue: [], timer: null, lastArrival: null, gap: null });
    for (const item of waiting) showFrame(state, item);
    scheduleDraw();
    return;
  }
  if (state.lastArrival !== null) {
    const gap = now - state.lastArrival;
    state.gap = state.gap === null ? gap : 0.7 * state.gap + 0.3 * gap;
  }
  state.lastArrival = now;
  state.queue.push(...items);
  // A browser too slow for every frame (a big network on a slow machine) must not fall
  // ever further behind: beyond two updates' worth, the oldest frames are applied at once,
  // undrawn (their figures may be needed: the next ones can say "unchanged").
  while (state.queue.length > 2 * items.length) showFrame(state, state.queue.shift());
  const expected = state.gap === null ? FIRST_SPACING_MS * items.length : state.gap;
  state.spacing = Math.min(MAX_SPACING_MS, Math.max(MIN_SPACING_MS, expected / state.queue.length));
  if (state.timer === null) showNext(state);
}

function showNext(state) {
  state.timer = null;
  if (!state.element.isConnected) {
    state.queue = [];
    return;
  }
  const item = state.queue.shift();
  if (!item) return;
  showFrame(state, item);
  count("__liveFramesShown");
  scheduleDraw();
  if (state.queue.length) state.timer = setTimeout(() => showNext(state), state.spacing);
}

function showFrame(state, { frame, spec }) {
  const grid = spec.grid || {};
  state.stats.style.display = frame.stats ? "" : "none";
  if (frame.stats && state.statsHtml !== frame.stats) {
    state.stats.innerHTML = frame.stats; // our own HTML (numbers), never user input
    state.statsHtml = frame.stats;
  }
  const ids = new Set(frame.charts.map((c) => c.id));
  for (const [id, chart] of state.charts) {
    if (ids.has(id)) continue;
    chart.cell.remove();
    state.charts.delete(id);
    pending.delete(chart);
  }
  const now = performance.now();
  const configJson = JSON.stringify(spec.config);
  for (const c of frame.charts) {
    const chart = chartFor(state, c.id);
    chart.cell.style.gridArea = grid.areas ? c.id : "";
    if (chart.titleHtml !== c.title) {
      chart.title.innerHTML = c.title; // our own headings, never user input
      chart.titleHtml = c.title;
      chart.title.style.display = c.title ? "" : "none";
    }
    if (c.kind === "html") {
      // A note: our own HTML (numbers, escaped names), shown as it arrives, no Plotly.
      if (c.figure === null && c.figure_id !== chart.figureId) state.missing = true;
      if (c.figure !== null && chart.figureJson !== c.figure) {
        setNoteHtml(chart, c.figure);
        Object.assign(chart, { figureJson: c.figure, figureId: c.figure_id });
      }
      chart.div.classList.add("live-note");
      continue;
    }
    chart.clickable = Boolean(c.clickable);
    chart.div.classList.toggle("clickable", chart.clickable);
    setOverlays(chart, c.overlays || []);
    const configChanged = chart.configJson !== configJson; // e.g. static while playing, interactive after
    // null: the server believes this browser has that figure (figure_id) already. If it
    // does not (an update that carried it never arrived), ask for everything again.
    if (c.figure === null && c.figure_id !== chart.figureId) state.missing = true;
    if (!configChanged && (c.figure === null || chart.figureJson === c.figure)) continue;
    if (c.figure !== null) Object.assign(chart, { figureJson: c.figure, figureId: c.figure_id });
    if (!chart.figureJson) continue;
    chart.configJson = configJson;
    if (!chart.pending) chart.waitingSince = now;
    chart.pending = { figureJson: chart.figureJson, config: spec.config };
    pending.add(chart);
  }
  if (state.missing && state.setTriggerValue) {
    state.missing = false;
    state.setTriggerValue("missing", Date.now()); // the server forgets what it sent: all comes again
  }
}

const utf8 = new TextDecoder();

// The component's entry point, called with every update (docs/live_panel.md).
export default async function render(component) {
  const { data, parentElement, setTriggerValue } = component;
  let state = panels.get(parentElement);
  if (state && state.element.parentNode !== parentElement) state = null; // its panel was taken away
  if (state && state.raw === data) return; // the very same update again
  if (!state) state = mount(parentElement);
  state.raw = data;
  state.setTriggerValue = setTriggerValue;
  // The payload arrives as UTF-8 bytes (ui/live/panel.py sends bytes), or as text.
  const spec = JSON.parse(typeof data === "string" ? data : utf8.decode(data));
  remember(spec.assets);
  layOut(state, spec.grid);
  await loadPlotly(new URL(spec.plotly_src, document.baseURI).href);
  enqueue(state, spec);
}
