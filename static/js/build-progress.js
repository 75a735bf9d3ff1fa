// The report page's progress bar: asks for the build's status every two
// seconds and reloads the page when the files are ready. Without JavaScript
// the page has a link to update it.
(function () {
  "use strict";
  var section = document.querySelector(".build-progress[data-status-url]");
  if (!section) return;
  var bar = section.querySelector("progress");
  var step = section.querySelector(".build-step");
  function poll() {
    fetch(section.dataset.statusUrl, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.json(); })
      .then(function (data) {
        bar.value = data.progress;
        bar.textContent = data.progress + " %";
        step.textContent = data.step + " (" + data.progress + " %)";
        if (data.active) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 1000);
})();
