/* torchsite drawings: the story's HTML inlines each chart's narrow drawing only (the one a phone shows), so its
   first view stays small. In a frame wide enough for the wide drawing, site.css shows the narrow one in the box
   the wide one will fill; once the page is parsed, this fetches the wide drawing of each such frame (an SVG file
   from this site, the same markup the chart's own page inlines), puts it in and removes the placeholder
   (.chart-slot), so the wide drawing shows in the same box: nothing moves. A phone's narrow frames fetch nothing
   (a frame that widens later, a turned tablet, fetches then). Without this script, or if a fetch fails, the narrow
   drawing shows at its own size. No inline code; no other requests. */
(function () {
  "use strict";
  if (!window.fetch || !window.DOMParser || !window.ResizeObserver) { return; }
  var WIDE = 480; /* site.css: wider frames show the wide drawing */

  function load(slot) {
    slot.setAttribute("data-state", "loading");
    fetch(slot.getAttribute("data-src")).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (text) {
      var svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
      if (svg.namespaceURI !== "http://www.w3.org/2000/svg" || svg.localName !== "svg") { throw new Error("no SVG"); }
      slot.parentNode.replaceChild(document.importNode(svg, true), slot);
    }).catch(function () { slot.setAttribute("data-state", "failed"); });
  }

  /* Frame widths as the browser lays them out anyway (a ResizeObserver reports after layout: no layout forced). */
  var watcher = new ResizeObserver(function (entries) {
    entries.forEach(function (entry) {
      var slot = entry.target.querySelector(".chart-slot[data-src]:not([data-state])");
      if (!slot) { watcher.unobserve(entry.target); } else if (entry.contentRect.width > WIDE) {
        watcher.unobserve(entry.target);
        load(slot);
      }
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll(".chart-slot[data-src]"), function (slot) {
    watcher.observe(slot.parentNode);
  });
})();
