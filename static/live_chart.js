// Plotly charts that update in place. Each chart is mounted once per Streamlit key; every
// update hands the new figure to Plotly.react on the same div, so the chart keeps its zoom
// and never flashes. plotly.js is the copy shipped inside the installed `plotly` Python
// package, served by Streamlit's static file serving (see ui/live_chart.py).
//
// Drawing is scheduled, not done on arrival: one requestAnimationFrame loop for all
// charts of the page draws the charts whose data changed, the longest-waiting first, and
// stops for this animation frame once BUDGET_MS is spent. A chart that misses a frame
// draws its newest data in the next; nothing queues up, and the page stays responsive
// (controls answer) however slow the machine is.

const BUDGET_MS = 14;
const pending = new Set(); // divs with a figure not yet drawn
let scheduled = false;

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
// recomputed. Traces equal to the previous frame's are handed back as the same objects.
function reuseUnchanged(previous, next) {
  if (!previous) return next;
  return next.map((trace, i) => (i < previous.length && same(previous[i], trace) ? previous[i] : trace));
}

function draw(div) {
  const spec = div.__pending;
  div.__pending = null;
  pending.delete(div);
  const started = performance.now();
  const data = reuseUnchanged(div.__data, spec.figure.data);
  div.__data = data;
  window.Plotly.react(div, data, spec.figure.layout, spec.config || {});
  const took = performance.now() - started;
  div.dataset.frames = String((Number(div.dataset.frames) || 0) + 1);
  div.dataset.drawMs = String((Number(div.dataset.drawMs) || 0) + took);
  div.dataset.sequence = String(spec.sequence ?? "");
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
function bindClicks(div, setTriggerValue) {
  div.addEventListener("click", (event) => {
    const layout = div._fullLayout;
    if (!layout || !layout.xaxis || !layout.yaxis) return;
    const box = div.getBoundingClientRect();
    const px = event.clientX - box.left - layout.xaxis._offset;
    const py = event.clientY - box.top - layout.yaxis._offset;
    if (px < 0 || py < 0 || px > layout.xaxis._length || py > layout.yaxis._length) return;
    setTriggerValue("click", { x: layout.xaxis.p2d(px), y: layout.yaxis.p2d(py), at: Date.now() });
  });
}

export default async function (component) {
  const { data, parentElement, setTriggerValue } = component;
  let div = parentElement.querySelector("div.live-chart");
  if (div && div.__raw === data) return; // the same figure again: nothing to draw
  const spec = typeof data === "string" ? JSON.parse(data) : data;
  if (!div) {
    div = document.createElement("div");
    div.className = "live-chart";
    parentElement.appendChild(div);
    window.__liveChartMounts = (window.__liveChartMounts || 0) + 1;
  }
  if (spec.clickable && !div.__clicks) {
    div.__clicks = true;
    bindClicks(div, setTriggerValue);
  }
  div.classList.toggle("clickable", Boolean(spec.clickable));
  div.style.cursor = spec.clickable ? "crosshair" : "";
  div.__raw = data;
  if (!div.__pending) div.__waitingSince = performance.now();
  div.__pending = spec; // a newer figure replaces one not yet drawn
  pending.add(div);
  await loadPlotly(new URL(spec.plotly_src, document.baseURI).href);
  schedule();
}
