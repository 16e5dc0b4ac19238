/* torchsite chart pages. The embed code's copy button. "Explore the data": the chart drawn live (hover, zoom, download as PNG),
   only when asked. plotly.js (from this site) is loaded on that click and no earlier; the figure is read from a
   <script type="application/json"> block. No inline code, no other requests, and no toolbar button that sends
   the data to another site. The button stays where it is and keeps focus: it shows and hides the live chart. */
(function () {
  "use strict";
  var me = document.currentScript;
  var plotlySrc = me && me.getAttribute("data-plotly");
  var dark = window.matchMedia ? window.matchMedia("(prefers-color-scheme: dark)") : null;
  var SHOW = "Explore the data";
  var HIDE = "Hide the interactive chart";
  /* Plotly's toolbar without its buttons that reach outside this site (Chart Studio) or its logo. */
  var TOOLBAR = {
    displayModeBar: true,
    displaylogo: false,
    showSendToCloud: false,
    showEditInChartStudio: false,
    showLink: false,
    modeBarButtonsToRemove: ["sendDataToCloud", "editInChartStudio", "lasso2d", "select2d"],
    responsive: true
  };

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
    var status = box.querySelector(".chart-explore-status");
    var state = "idle";
    function say(words) { if (status) { status.textContent = words; } }
    function show(open) {
      plot.hidden = !open;
      button.textContent = open ? HIDE : SHOW;
      button.setAttribute("aria-expanded", open ? "true" : "false");
      box.setAttribute("data-state", open ? "live" : "ready");
    }
    button.hidden = false;
    button.setAttribute("aria-expanded", "false");
    button.addEventListener("click", function () {
      if (state === "loading") { return; }  /* aria-disabled, not disabled: a disabled button would lose focus */
      if (state === "ready") { show(plot.hidden); return; }
      state = "loading";
      button.setAttribute("aria-disabled", "true");
      say("Loading the interactive chart…");
      loadPlotly().then(function (Plotly) {
        var spec = JSON.parse(document.getElementById(box.getAttribute("data-figure")).textContent);
        var fig = dark && dark.matches ? recolor(spec.figure, spec.dark) : spec.figure;
        var config = Object.assign({}, fig.config, TOOLBAR);
        plot.hidden = false;
        return Plotly.newPlot(plot, fig.data, Object.assign({}, fig.layout, { width: null }), config);
      }).then(function () {
        state = "ready";
        button.removeAttribute("aria-disabled");
        show(true);
        say("The interactive chart is shown below.");
      }).catch(function () {
        state = "idle";
        button.removeAttribute("aria-disabled");
        plot.hidden = true;
        say("The interactive chart could not be loaded. Try again.");
      });
    });
  });

  /* The embed code's copy button: shown only where a script can copy; the code stays selectable without it. */
  document.querySelectorAll(".embed-copy-button[data-copy]").forEach(function (button) {
    var code = document.getElementById(button.getAttribute("data-copy"));
    var status = button.parentNode.querySelector(".embed-copy-status");
    if (!code || !navigator.clipboard) { return; }
    button.parentNode.hidden = false;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(code.textContent).then(function () {
        status.textContent = "Copied.";
      }, function () {
        window.getSelection().selectAllChildren(code);
        status.textContent = "Copying was refused; the code is selected: press Ctrl+C or ⌘C.";
      });
    });
  });
})();
