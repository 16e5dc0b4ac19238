/* torchsite charts: draw each chart with plotly.js when it comes into view or is touched.
   The figure is read from a <script type="application/json"> block; plotly.js is loaded
   from this site only when the first chart needs it. No inline code, no other requests. */
(function () {
  "use strict";
  var me = document.currentScript;
  var plotlySrc = me && me.getAttribute("data-plotly");
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var loading = null;

  function loadPlotly() {
    if (!loading) {
      loading = new Promise(function (resolve, reject) {
        if (window.Plotly) { resolve(window.Plotly); return; }
        var script = document.createElement("script");
        script.src = plotlySrc;
        script.async = true;
        script.onload = function () { resolve(window.Plotly); };
        script.onerror = reject;
        document.head.appendChild(script);
      });
    }
    return loading;
  }

  /* Swap the light scheme's colours for the dark ones (the build checks this gives its dark figure). */
  function recolor(value, colors) {
    if (typeof value === "string") {
      return Object.prototype.hasOwnProperty.call(colors, value) ? colors[value] : value;
    }
    if (Array.isArray(value)) { return value.map(function (v) { return recolor(v, colors); }); }
    if (value && typeof value === "object") {
      var out = {};
      Object.keys(value).forEach(function (k) { out[k] = recolor(value[k], colors); });
      return out;
    }
    return value;
  }

  function figureFor(frame) {
    var block = document.getElementById(frame.getAttribute("data-figure"));
    var spec = JSON.parse(block.textContent);
    return dark && dark.matches ? recolor(spec.figure, spec.dark) : spec.figure;
  }

  function draw(frame) {
    if (frame.hasAttribute("data-state")) { return; }
    frame.setAttribute("data-state", "loading");
    loadPlotly().then(function (Plotly) {
      var fig = figureFor(frame);
      var plot = frame.querySelector(".chart-plot");
      return Plotly.newPlot(plot, fig.data, fig.layout, fig.config).then(function () {
        frame.setAttribute("data-state", "live");
      });
    }).catch(function () {
      frame.setAttribute("data-state", "failed"); /* the static view and the table stay */
    });
  }

  function redraw() {
    if (!window.Plotly) { return; }
    document.querySelectorAll('.chart-frame[data-state="live"]').forEach(function (frame) {
      var fig = figureFor(frame);
      window.Plotly.react(frame.querySelector(".chart-plot"), fig.data, fig.layout, fig.config);
    });
  }

  var frames = Array.prototype.slice.call(document.querySelectorAll(".chart-frame[data-figure]"));
  frames.forEach(function (frame) {
    ["pointerenter", "focusin", "touchstart"].forEach(function (type) {
      frame.addEventListener(type, function () { draw(frame); }, { once: true, passive: true });
    });
  });
  if ("IntersectionObserver" in window) {
    var seen = new IntersectionObserver(function (entries) {
      entries.forEach(function (entry) {
        if (entry.isIntersecting) { seen.unobserve(entry.target); draw(entry.target); }
      });
    }, { rootMargin: "200px 0px" });
    frames.forEach(function (frame) { seen.observe(frame); });
  } else {
    frames.forEach(draw);
  }
  if (dark && dark.addEventListener) { dark.addEventListener("change", redraw); }
})();
