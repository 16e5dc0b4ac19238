/* torchsite reader's card: focus, hover or tap a figure (a[data-fact]), a claim (a[data-claim]) or a
   chart mark to see its value, what its hedge means, the passage that states it, the source and a link
   to the fact sheet. The card's words come from the file the page's <script type="application/json"
   id="card-data"> block names (fetched as the page loads, off its first round trip). No inline code.

   Semantics (decided for assistive technology): ONE labelled, non-modal dialog (role="dialog",
   aria-labelledby its title, aria-describedby its body), kept at the end of <main>, outside the text
   flow (never inside a heading, paragraph, list item or superscript, so no heading's or sentence's
   name changes while it is open), and positioned absolutely at its trigger. It shows in two ways:
   - a preview, on hover or keyboard focus: seen, not focused, its link out of the Tab order (the
     figure link itself already goes where the card's link goes, so there is no second Tab stop);
   - opened, on activation (Enter or Space on a mark, Enter on a figure or citation link as a keyboard
     or screen reader sends it, a tap): the dialog takes focus, so a screen reader announces it with
     its label and body at once (no race with aria-describedby), the trigger says aria-expanded="true",
     its link is the one Tab stop inside; Escape (or Shift+Tab) gives focus back to the trigger, Tab
     leaves it for what follows the trigger. A mouse click on a link still follows the link.
   A live region was rejected: it would speak on every focus move through the story's figures. */
(function () {
  "use strict";
  var SELECTOR = "[data-fact], [data-claim]";
  var HOVER_OPEN = 250;
  var HOVER_CLOSE = 300;
  var GAP = 8;
  var data = null;
  var card = null;
  var link = null;
  var current = null;
  var focused = false; /* the card is open as a dialog holding focus, not a preview */
  var timer = 0;
  var pointer = "";
  var tapOpened = false;
  var returning = false;

  /* The card data: the page's card-data block names the file that holds it (data-src); it is fetched once, as
     the page loads, and written into the block. A block that holds the data itself is read as it is. */
  var loading = null;
  function load() {
    if (data !== null) { return Promise.resolve(data); }
    if (loading) { return loading; }
    var block = document.getElementById("card-data");
    var src = block ? block.getAttribute("data-src") : null;
    if (!src) {
      try { data = block && block.textContent ? JSON.parse(block.textContent) : {}; } catch (e) { data = {}; }
      return Promise.resolve(data);
    }
    loading = fetch(src).then(function (r) { return r.ok ? r.json() : {}; }).catch(function () { return {}; })
      .then(function (d) { data = d || {}; block.textContent = JSON.stringify(data); return data; });
    return loading;
  }

  function cards() { return data || {}; }

  function entryFor(el) {
    var d = cards();
    var fact = el.getAttribute("data-fact");
    if (fact) { return d.facts && d.facts[fact] ? {kind: "fact", item: d.facts[fact]} : null; }
    var claim = el.getAttribute("data-claim");
    return d.claims && d.claims[claim] ? {kind: "claim", item: d.claims[claim]} : null;
  }

  function triggerOf(node) {
    var el = node && node.closest ? node.closest(SELECTOR) || markOf(node) : null;
    return el && el.id !== "card-data" && !(card && card.contains(el)) ? el : null;
  }

  /* A chart label stands for its mark under a pointer: hovering or tapping a label (its words or its box) opens
     the card of the mark it labels, so a mark that other marks crowd (a timeline's events of one year lie on one
     another) is reached by a target of 24 px or more. Labels stay out of the Tab order: the mark is its stop. */
  function markOf(node) {
    var label = node.closest ? node.closest("g.annotation") : null;
    var text = label ? label.querySelector("[data-for]") : null;
    var svg = text ? label.closest("svg") : null;
    return svg ? svg.querySelector('.mark[data-fact="' + text.getAttribute("data-for") + '"]') : null;
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
    card.setAttribute("aria-describedby", "reader-card-body");
    card.tabIndex = -1;
    card.hidden = true;
    card.addEventListener("pointerenter", function () { clearTimeout(timer); });
    (document.querySelector("main") || document.body).appendChild(card);
    return card;
  }

  function fill(entry) {
    var item = entry.item;
    while (card.firstChild) { card.removeChild(card.firstChild); }
    var title = part("p", "reader-card-title", entry.kind === "fact" ? item.label : "From the report");
    title.id = "reader-card-title";
    card.appendChild(title);
    var body = part("div", "reader-card-body", "");
    body.id = "reader-card-body";
    if (entry.kind === "fact") {
      body.appendChild(part("p", "reader-card-value", item.text));
      if (item.hedge) { body.appendChild(part("p", "reader-card-hedge", item.hedge)); }
    }
    if (item.passage) { body.appendChild(part("blockquote", "reader-card-passage", "\u201c" + item.passage + "\u201d")); }
    if (item.working) { body.appendChild(part("p", "reader-card-working", item.working)); }
    if (item.inferred) { body.appendChild(part("p", "reader-card-note", "Inferred: " + item.inferred)); }
    var credit = part("p", "reader-card-source", (item.working ? "" : "Source: ") + (item.source_url ? "" : item.source));
    if (item.source_url) {
      var origin = part("a", "", item.source);
      origin.href = item.source_url;
      origin.tabIndex = -1;
      credit.appendChild(origin);
    }
    body.appendChild(credit);
    card.appendChild(body);
    link = part("a", "reader-card-link", "See it on the fact sheet");
    link.href = item.url;
    link.tabIndex = -1;
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

  /* Shows the card for `el`: a preview, or (`take`) the dialog, given focus. */
  function open(el, take) {
    clearTimeout(timer);
    if (data === null) { load().then(function () { open(el, take); }); return; }
    if (current !== el || card.hidden) {
      var entry = entryFor(el);
      if (!entry) { return; }
      close();
      if (!card) { build(); }
      /* Put in afresh: a card appearing elsewhere is a new box, not the old one moving (no layout shift). */
      card.parentNode.appendChild(card);
      fill(entry);
      current = el;
      card.hidden = false;
      place();
    }
    if (take && !focused) {
      focused = true;
      links(function (a) { a.removeAttribute("tabindex"); });
      el.setAttribute("aria-expanded", "true");
      card.focus({preventScroll: true});
    }
  }

  function close() {
    clearTimeout(timer);
    if (!card || card.hidden) { return; }
    card.hidden = true;
    if (current && current.hasAttribute("aria-expanded")) { current.setAttribute("aria-expanded", "false"); }
    links(function (a) { a.tabIndex = -1; });
    focused = false;
    current = null;
  }

  /* Focus back on the trigger without opening its preview again. */
  function back(el) {
    returning = true;
    el.focus();
    returning = false;
  }

  /* Every link of the card (the source's address, the fact-sheet entry): Tab stops only once it is entered. */
  function links(fn) {
    Array.prototype.forEach.call(card.querySelectorAll("a"), fn);
  }

  function later(fn, delay) {
    clearTimeout(timer);
    timer = setTimeout(fn, delay);
  }

  function inside(node) {
    if (!node) { return false; }
    return Boolean((card && card.contains(node)) || (current && (current.contains(node) || markOf(node) === current)));
  }

  document.addEventListener("pointerover", function (e) {
    if (e.pointerType !== "mouse") { return; }
    var el = triggerOf(e.target);
    if (el && el !== current) { later(function () { open(el, false); }, HOVER_OPEN); }
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

  /* A mark: a click opens the dialog (a second tap closes it). A link: a keyboard's or screen reader's click
     (detail 0) or a first tap opens the dialog, whose link (or a second tap) follows; a mouse click follows it. */
  document.addEventListener("click", function (e) {
    var el = triggerOf(e.target);
    if (!el) { return; }
    if (!el.matches("a[href]")) {
      e.preventDefault();
      if (current === el && tapOpened && pointer !== "mouse") { close(); } else { open(el, true); }
    } else if ((pointer === "touch" && !tapOpened) || (e.detail === 0 && !(current === el && focused))) {
      e.preventDefault();
      open(el, true);
    }
  });

  document.addEventListener("keydown", function (e) {
    pointer = "";
    if (!current) { return; }
    if (e.key === "Escape") {
      var from = card.contains(document.activeElement) ? current : null;
      close();
      if (from) { back(from); }
    } else if (e.key === "Tab" && focused && card.contains(document.activeElement)) {
      /* The dialog stands, for the keyboard, right after its trigger: Shift+Tab goes back to it, Tab past its
         link goes on to whatever follows the trigger (the browser moves on from the trigger, focused first). */
      var el = current;
      var last = document.activeElement === link || e.shiftKey;
      if (!last) { return; }
      close();
      back(el);
      if (e.shiftKey) { e.preventDefault(); }
    }
  });

  document.addEventListener("keydown", function (e) {
    var el = triggerOf(e.target);
    if (el && !el.matches("a[href]") && (e.key === "Enter" || e.key === " ")) {
      e.preventDefault();
      open(el, true);
    }
  });

  document.addEventListener("focusin", function (e) {
    var el = triggerOf(e.target);
    if (el && !returning) { open(el, false); } else if (current && !inside(e.target) && !returning) { close(); }
  });

  window.addEventListener("resize", function () { window.requestAnimationFrame(place); }, {passive: true});

  /* Every trigger says it opens a dialog and whether it is open (marks say so in their own markup). */
  function mark() {
    var all = document.querySelectorAll(SELECTOR);
    for (var i = 0; i < all.length; i++) {
      if (all[i].id === "card-data") { continue; }
      all[i].setAttribute("aria-haspopup", "dialog");
      all[i].setAttribute("aria-expanded", "false");
    }
  }
  if (document.readyState === "loading") { document.addEventListener("DOMContentLoaded", mark); } else { mark(); }

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
    card.getBoundingClientRect();
    card.hidden = true;
    card.style.visibility = "";
  }
  load();
  window.addEventListener("load", function () { load().then(function () { idle(warm); }); });
})();
