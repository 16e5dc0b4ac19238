/* torchsite editions: the language switcher leads to the same section of the page in the other edition. Both
   editions give a section the same id (a chart's figure, a fact's entry, a note), so on activation the link takes
   the anchor the reader is at: the address's own (a note or a fact the reader followed a link to), else the last
   section whose top the reader has scrolled past. */
(function () {
  "use strict";
  var SECTIONS = "main h2[id], main figure[id], main .fact-entry[id], main li[id]";

  function current() {
    var named = decodeURIComponent(location.hash.slice(1));
    if (named && document.getElementById(named)) return named;
    var found = "";
    var all = document.querySelectorAll(SECTIONS);
    for (var i = 0; i < all.length; i++) {
      if (all[i].getBoundingClientRect().top > 80) break;
      found = all[i].id;
    }
    return found;
  }

  function follow(event) {
    var link = event.target.closest && event.target.closest("[data-edition-switch]");
    if (!link) return;
    var id = current();
    var base = link.getAttribute("href").split("#")[0];
    link.setAttribute("href", id ? base + "#" + encodeURIComponent(id) : base);
  }

  /* On an edition in another language than the sources, the reader's card quotes a passage in the sources' words:
     marked with their language (data-passages), as the page's own quotes are, for the right font and voice. */
  var passages = document.currentScript && document.currentScript.getAttribute("data-passages");
  if (passages && window.MutationObserver) {
    new MutationObserver(function () {
      var quoted = document.querySelectorAll(".reader-card-passage:not([lang])");
      for (var i = 0; i < quoted.length; i++) quoted[i].setAttribute("lang", passages);
    }).observe(document.body || document.documentElement, {childList: true, subtree: true});
  }

  document.addEventListener("click", follow, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter") follow(event);
  }, true);
})();
