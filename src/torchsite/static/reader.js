/* torchsite reader's card: focus, hover or tap a figure (a[data-fact]), a claim (a[data-claim]) or a
   chart mark to see its value, what its hedge means, the passage that states it, the source and a link
   to the fact sheet. The card's words come from the page's <script type="application/json"
   id="card-data"> block. One non-modal dialog, placed right after the element it describes (so Tab
   reaches its link next) and positioned absolutely beside it (so nothing moves). No inline code. */
(function () {
  "use strict";
  var SELECTOR = "[data-fact], [data-claim]";
  var HOVER_OPEN = 250;
  var HOVER_CLOSE = 300;
  var GAP = 8;
  var data = null;
  var card = null;
  var current = null;
  var timer = 0;
  var pointer = "";
  var tapOpened = false;
  var returning = false;

  function cards() {
    if (data === null) {
      var block = document.getElementById("card-data");
      try { data = block ? JSON.parse(block.textContent) : {}; } catch (e) { data = {}; }
    }
    return data;
  }

  function entryFor(el) {
    var d = cards();
    var fact = el.getAttribute("data-fact");
    if (fact) { return d.facts && d.facts[fact] ? {kind: "fact", item: d.facts[fact]} : null; }
    var claim = el.getAttribute("data-claim");
    return d.claims && d.claims[claim] ? {kind: "claim", item: d.claims[claim]} : null;
  }

  function triggerOf(node) {
    var el = node && node.closest ? node.closest(SELECTOR) : null;
    return el && el.id !== "card-data" && !(card && card.contains(el)) ? el : null;
  }

  function part(tag, cls, text) {
    var el = document.createElement(tag);
    el.className = cls;
    el.textContent = text;
    return el;
  }

  function build() {
    card = document.createElement("div");
    card.id = "reader-card";
    card.className = "reader-card";
    card.setAttribute("role", "dialog");
    card.setAttribute("aria-labelledby", "reader-card-title");
    card.tabIndex = -1;
    card.hidden = true;
    card.addEventListener("pointerenter", function () { clearTimeout(timer); });
    return card;
  }

  function fill(entry) {
    var item = entry.item;
    while (card.firstChild) { card.removeChild(card.firstChild); }
    var title = part("p", "reader-card-title", entry.kind === "fact" ? item.label : "From the report");
    title.id = "reader-card-title";
    card.appendChild(title);
    if (entry.kind === "fact") {
      card.appendChild(part("p", "reader-card-value", item.text));
      if (item.hedge) { card.appendChild(part("p", "reader-card-hedge", item.hedge)); }
    }
    if (item.passage) { card.appendChild(part("blockquote", "reader-card-passage", "\u201c" + item.passage + "\u201d")); }
    if (item.working) { card.appendChild(part("p", "reader-card-working", item.working)); }
    if (item.inferred) { card.appendChild(part("p", "reader-card-note", "Inferred: " + item.inferred)); }
    var credit = part("p", "reader-card-source", (item.working ? "" : "Source: ") + (item.source_url ? "" : item.source));
    if (item.source_url) {
      var origin = part("a", "", item.source);
      origin.href = item.source_url;
      credit.appendChild(origin);
    }
    card.appendChild(credit);
    var link = part("a", "reader-card-link", "See it on the fact sheet");
    link.href = item.url;
    card.appendChild(link);
  }

  /* Below the element if the card fits there, else above; never off the viewport's sides. Placed once, in its
     containing block's coordinates (position: absolute), so it scrolls with its element and scrolling runs no
     script: every read comes before every write, one layout per opening. */
  function place() {
    if (!current || card.hidden) { return; }
    card.style.top = "0px";
    card.style.left = "0px";
    var origin = card.getBoundingClientRect();
    var r = current.getBoundingClientRect();
    var w = origin.width;
    var h = origin.height;
    var vw = document.documentElement.clientWidth;
    var vh = window.innerHeight;
    var top = r.bottom + GAP;
    if (top + h > vh - GAP && r.top - GAP - h >= GAP) { top = r.top - GAP - h; }
    var left = Math.max(GAP, Math.min(r.left, vw - w - GAP));
    card.style.top = Math.round(top - origin.top) + "px";
    card.style.left = Math.round(left - origin.left) + "px";
  }

  /* The card goes after the element (after the whole drawing for a chart mark: no HTML inside SVG). */
  function anchorOf(el) {
    var host = el;
    while (host.parentNode && host.parentNode.namespaceURI === "http://www.w3.org/2000/svg") { host = host.parentNode; }
    return host;
  }

  function open(el) {
    clearTimeout(timer);
    if (current === el && !card.hidden) { return; }
    var entry = entryFor(el);
    if (!entry) { return; }
    close();
    if (!card) { build(); }
    fill(entry);
    anchorOf(el).after(card);
    current = el;
    el.setAttribute("aria-describedby", card.id);
    card.hidden = false;
    place();
  }

  function close() {
    clearTimeout(timer);
    if (!card || card.hidden) { return; }
    card.hidden = true;
    if (current) { current.removeAttribute("aria-describedby"); }
    current = null;
  }

  function later(fn, delay) {
    clearTimeout(timer);
    timer = setTimeout(fn, delay);
  }

  function inside(node) {
    return Boolean(node) && ((card && card.contains(node)) || (current && current.contains(node)));
  }

  document.addEventListener("pointerover", function (e) {
    if (e.pointerType !== "mouse") { return; }
    var el = triggerOf(e.target);
    if (el && el !== current) { later(function () { open(el); }, HOVER_OPEN); }
    else if (el || inside(e.target)) { clearTimeout(timer); }
  });

  document.addEventListener("pointerout", function (e) {
    if (e.pointerType !== "mouse" || inside(e.relatedTarget)) { return; }
    if (current && inside(e.target)) {
      if (!card.contains(document.activeElement) && document.activeElement !== current) { later(close, HOVER_CLOSE); }
    } else if (triggerOf(e.target)) {
      clearTimeout(timer);
    }
  });

  document.addEventListener("pointerdown", function (e) {
    pointer = e.pointerType;
    var el = triggerOf(e.target);
    tapOpened = Boolean(el) && el === current;
    if (current && !inside(e.target) && el !== current) { close(); }
  });

  document.addEventListener("click", function (e) {
    var el = triggerOf(e.target);
    if (!el) { return; }
    var link = el.matches("a[href]");
    if (!link) {
      e.preventDefault();
      if (current === el && tapOpened && pointer !== "mouse") { close(); } else { open(el); }
    } else if (pointer === "touch" && !tapOpened) {
      e.preventDefault(); /* the first tap shows the card; the card's link (or a second tap) follows it */
      open(el);
    }
  });

  document.addEventListener("keydown", function (e) {
    pointer = "";
    if (e.key === "Escape" && current) {
      var back = card.contains(document.activeElement) ? current : null;
      close();
      if (back) { returning = true; back.focus(); returning = false; }
      return;
    }
    var el = triggerOf(e.target);
    if (el && !el.matches("a[href]") && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      if (current === el) { close(); } else { open(el); }
    }
  });

  document.addEventListener("focusin", function (e) {
    var el = triggerOf(e.target);
    if (el && !returning) { open(el); } else if (current && !inside(e.target)) { close(); }
  });

  window.addEventListener("resize", function () { window.requestAnimationFrame(place); }, {passive: true});

  /* Once the page is idle, read the card data, then (at the next idle time) lay a card out unseen, so the first
     opening costs no more than any later one: on a slow phone the data and the card's first fonts cost a tap as
     much again. Two short tasks, not one long one. */
  function idle(fn) {
    if ("requestIdleCallback" in window) { window.requestIdleCallback(fn, {timeout: 5000}); } else { setTimeout(fn, 500); }
  }

  function warm() {
    var first = card ? null : document.querySelector(SELECTOR);
    var entry = first ? entryFor(first) : null;
    if (!entry) { return; }
    build();
    fill(entry);
    card.style.visibility = "hidden";
    card.hidden = false;
    document.body.appendChild(card);
    card.getBoundingClientRect();
    card.hidden = true;
    card.style.visibility = "";
  }
  window.addEventListener("load", function () { idle(function () { cards(); idle(warm); }); });
})();
