/* torchsite editions: the language switcher lands on the same section of the page in the other edition. Both
   editions give a section the same id (a chart's figure, a fact's entry, the notes), so on activation the link
   takes the id of the last section whose top the reader has scrolled past (or the address's own anchor). */
(function () {
  "use strict";
  var SECTIONS = "main h2[id], main figure[id], main .fact-entry[id], main li[id]";

  function current() {
    var found = "";
    var all = document.querySelectorAll(SECTIONS);
    for (var i = 0; i < all.length; i++) {
      if (all[i].getBoundingClientRect().top > 80) break;
      found = all[i].id;
    }
    return found || location.hash.slice(1);
  }

  function follow(event) {
    var link = event.target.closest("[data-edition-switch]");
    if (!link) return;
    var id = current();
    var base = link.getAttribute("href").split("#")[0];
    link.setAttribute("href", id ? base + "#" + encodeURIComponent(id) : base);
  }

  document.addEventListener("click", follow, true);
  document.addEventListener("keydown", function (event) {
    if (event.key === "Enter") follow(event);
  }, true);
})();
