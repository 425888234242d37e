// A stand-in for plotly.js, loaded by static/live_chart.js from the payload's plotly_src
// in tests/browser/test_live_chart_js.py. It draws every chart as the same fixed-size box
// and fakes exactly what live_chart.js uses of Plotly: the public Plotly.react and gd.on,
// and the internals read in plotGeometry() (gd._fullLayout.xaxis/.yaxis with _offset,
// _length, l2p, p2d, and gd._fullLayout._paper and _toppaper). Linear axes, ranges from
// layout.xaxis.range and layout.yaxis.range ([0, 10] by default), y up as in Plotly.
(function () {
  const WIDTH = 320;
  const HEIGHT = 240;
  const MARGIN = { l: 40, r: 20, t: 20, b: 20 }; // plotting area 260 x 200 px
  const listeners = new WeakMap(); // graph div -> {event: [handler]}

  function axis(offset, length, range, upwards) {
    const [r0, r1] = range || [0, 10];
    const span = r1 - r0;
    return {
      _offset: offset,
      _length: length,
      l2p: (v) => (upwards ? ((r1 - v) / span) * length : ((v - r0) / span) * length),
      p2d: (p) => (upwards ? r1 - (p / length) * span : r0 + (p / length) * span),
    };
  }

  function container(div) {
    let box = div.querySelector(":scope > .svg-container");
    if (box) return box;
    box = document.createElement("div");
    box.className = "svg-container";
    box.style.cssText = `position: relative; width: ${WIDTH}px; height: ${HEIGHT}px; background: #eef;`;
    const svg = `<svg class="main-svg" width="${WIDTH}" height="${HEIGHT}" style="position: absolute; left: 0; top: 0"></svg>`;
    box.innerHTML = svg + svg; // the paper (traces), then the top layer
    div.appendChild(box);
    listeners.set(div, {});
    div.on = (event, handler) => {
      const all = listeners.get(div);
      (all[event] = all[event] || []).push(handler);
    };
    return box;
  }

  window.Plotly = {
    calls: [], // one per react: {chart, meta (layout.meta), staticPlot, traces}
    react(div, data, layout, config) {
      const cell = div.closest("[data-chart]");
      window.Plotly.calls.push({
        chart: cell ? cell.dataset.chart : null,
        meta: layout && layout.meta,
        staticPlot: Boolean(config && config.staticPlot),
        traces: data.length,
      });
      const box = container(div);
      const paper = box.firstElementChild;
      const top = box.lastElementChild;
      div._fullLayout = {
        xaxis: axis(MARGIN.l, WIDTH - MARGIN.l - MARGIN.r, layout.xaxis && layout.xaxis.range, false),
        yaxis: axis(MARGIN.t, HEIGHT - MARGIN.t - MARGIN.b, layout.yaxis && layout.yaxis.range, true),
        _paper: { node: () => paper },
        _toppaper: { node: () => top },
      };
      for (const handler of listeners.get(div).plotly_afterplot || []) handler();
      return Promise.resolve(div);
    },
  };
})();
