/* torchsite drawings: the story's HTML inlines each chart's narrow drawing only (the one a phone shows), so its
   first view stays small. In a frame wide enough for the wide drawing, the CSS shows a placeholder of that
   drawing's size instead; when the placeholder nears the screen, this fetches the drawing (an SVG file from this
   site, the same markup the chart's own page inlines) and puts it in the placeholder's place. Nothing moves: the
   placeholder already had its size. Without this script (<noscript>) or if the fetch fails, the narrow drawing
   shows. No inline code; no other requests. */
(function () {
  "use strict";
  var slots = document.querySelectorAll(".chart-slot[data-src]");
  if (!slots.length) { return; }

  function failed(slot) { slot.setAttribute("data-state", "failed"); }

  function load(slot) {
    slot.setAttribute("data-state", "loading");
    fetch(slot.getAttribute("data-src")).then(function (response) {
      if (!response.ok) { throw new Error(response.status); }
      return response.text();
    }).then(function (text) {
      var svg = new DOMParser().parseFromString(text, "image/svg+xml").documentElement;
      if (svg.namespaceURI !== "http://www.w3.org/2000/svg" || svg.localName !== "svg") { throw new Error("no SVG"); }
      slot.parentNode.replaceChild(document.importNode(svg, true), slot);
    }).catch(function () { failed(slot); });
  }

  if (!("IntersectionObserver" in window) || !window.fetch || !window.DOMParser) {
    Array.prototype.forEach.call(slots, failed);
    return;
  }
  /* A hidden placeholder (a narrow frame) never intersects: nothing is fetched until the frame widens. */
  var watcher = new IntersectionObserver(function (entries) {
    entries.forEach(function (entry) {
      if (entry.isIntersecting) { watcher.unobserve(entry.target); load(entry.target); }
    });
  }, {rootMargin: "1000px 0px"});
  Array.prototype.forEach.call(slots, function (slot) { watcher.observe(slot); });
})();
