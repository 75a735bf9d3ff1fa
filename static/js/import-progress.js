// An import's page while the worker runs it: asks for the job's status every
// two seconds and reloads the page when it is done or failed (the page then
// shows what came of it). Without JavaScript the page has a link to update it.
(function () {
  "use strict";
  var section = document.querySelector(".import-progress[data-status-url]");
  if (!section) return;
  var label = document.querySelector(".import-status-label");
  function poll() {
    fetch(section.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        if (label) { label.textContent = data.label.charAt(0).toUpperCase() + data.label.slice(1); }
        if (data.active) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
