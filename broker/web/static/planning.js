// Follows a planning run: polls its status and shows the results once it is done.
// (A file, not an inline script; without it the page refreshes itself every few seconds.)
(function () {
  "use strict";
  var box = document.querySelector("[data-run-status]");
  if (!box || !window.fetch) {
    return;
  }
  var url = box.getAttribute("data-run-status");
  var bar = box.querySelector("progress");
  var note = box.querySelector("[data-run-note]");

  function show(status) {
    var pct = Math.round(status.progress * 100);
    bar.value = pct;
    bar.textContent = pct + "%";
    if (note && status.note) {
      note.textContent = status.note;
    }
  }

  function poll() {
    fetch(url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (answer) { return answer.ok ? answer.json() : null; })
      .then(function (status) {
        if (!status) {
          return;
        }
        if (status.state === "done" || status.state === "failed") {
          window.location.reload();
          return;
        }
        show(status);
        window.setTimeout(poll, 1000);
      })
      .catch(function () { window.setTimeout(poll, 3000); });
  }

  window.setTimeout(poll, 1000);
}());
