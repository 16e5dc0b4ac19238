/* torchsite embeds. Inside a chart's embed page: tell the host page how tall the chart is, whenever that
   changes. On the host page (the snippet loads this same file): size each torchsite iframe to match. */
(function () {
  "use strict";
  var KEY = "torchsite-embed-height";
  if (window.parent !== window) {
    var last = 0;
    var post = function () {
      var height = Math.ceil(document.documentElement.getBoundingClientRect().height);
      if (height !== last) {
        last = height;
        window.parent.postMessage({ type: KEY, height: height, path: location.pathname }, "*");
      }
    };
    if ("ResizeObserver" in window) { new ResizeObserver(post).observe(document.documentElement); }
    window.addEventListener("load", post);
    post();
    return;
  }
  window.addEventListener("message", function (event) {
    var data = event.data;
    if (!data || data.type !== KEY || typeof data.height !== "number") { return; }
    document.querySelectorAll("iframe[data-torchsite-embed]").forEach(function (frame) {
      if (frame.contentWindow === event.source) { frame.style.height = Math.min(data.height, 4000) + "px"; }
    });
  });
})();
