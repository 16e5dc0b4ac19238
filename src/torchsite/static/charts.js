/* torchsite "Explore in Plotly": on a chart's own page, the full Plotly figure, drawn only when asked.
   plotly.js (from this site) is loaded on that click and no earlier; the figure is read from a
   <script type="application/json"> block. No inline code, no other requests. */
(function () {
  "use strict";
  var me = document.currentScript;
  var plotlySrc = me && me.getAttribute("data-plotly");
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;

  function loadPlotly() {
    return new Promise(function (resolve, reject) {
      if (window.Plotly) { resolve(window.Plotly); return; }
      var script = document.createElement("script");
      script.src = plotlySrc;
      script.onload = function () { resolve(window.Plotly); };
      script.onerror = reject;
      document.head.appendChild(script);
    });
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

  document.querySelectorAll(".chart-explore[data-figure]").forEach(function (box) {
    var button = box.querySelector(".chart-explore-button");
    var plot = box.querySelector(".chart-explore-plot");
    button.hidden = false;
    button.addEventListener("click", function () {
      button.disabled = true;
      button.textContent = "Loading Plotly…";
      loadPlotly().then(function (Plotly) {
        var spec = JSON.parse(document.getElementById(box.getAttribute("data-figure")).textContent);
        var fig = dark && dark.matches ? recolor(spec.figure, spec.dark) : spec.figure;
        var config = Object.assign({}, fig.config, { displayModeBar: true, responsive: true });
        return Plotly.newPlot(plot, fig.data, Object.assign({}, fig.layout, { width: null }), config);
      }).then(function () {
        button.hidden = true;
        box.setAttribute("data-state", "live");
      }).catch(function () {
        button.disabled = false;
        button.textContent = "Plotly could not be loaded; try again";
      });
    });
  });
})();
