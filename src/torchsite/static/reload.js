// torchsite preview only (`torchsite serve` adds this to the pages it serves; built files never
// load it): wait for the next build and reload the page when it is done.
(function () {
  "use strict";
  var script = document.currentScript;
  var seen = script ? script.getAttribute("data-generation") : null;
  var status = new URL("status", script ? script.src : location.href);

  function wait() {
    status.searchParams.set("since", seen === null ? "-1" : seen);
    fetch(status.href, { cache: "no-store" })
      .then(function (response) { return response.json(); })
      .then(function (state) {
        if (seen === null) {
          seen = String(state.generation);
          wait();
        } else if (String(state.generation) !== seen) {
          location.reload();
        } else {
          wait();
        }
      })
      .catch(function () {
        setTimeout(wait, 1000); // the server is restarting or stopped: try again shortly
      });
  }

  wait();
})();
