// The reports' list in the admin: while a report is queued or being generated, ask for its
// progress every two seconds and move its bar; once every report has finished, reload the
// page so that the download links and page counts appear.
(function () {
  "use strict";
  var busy = ["queued", "running"];
  var bars = Array.prototype.slice.call(document.querySelectorAll("progress[data-status-url]"))
    .filter(function (bar) { return busy.indexOf(bar.dataset.status) !== -1; });
  if (!bars.length) { return; }

  function poll() {
    Promise.all(bars.map(function (bar) {
      return fetch(bar.dataset.statusUrl, {credentials: "same-origin", headers: {"Accept": "application/json"}})
        .then(function (response) { return response.ok ? response.json() : null; })
        .then(function (data) {
          if (!data) { return; }
          bar.value = data.progress;
          bar.textContent = data.progress + "\u00a0%";
          bar.dataset.status = data.status;
          var label = bar.parentNode.querySelector(".report-status");
          if (label) { label.textContent = data.status_label; }
        })
        .catch(function () {});
    })).then(function () {
      var waiting = bars.some(function (bar) { return busy.indexOf(bar.dataset.status) !== -1; });
      if (waiting) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
    });
  }
  window.setTimeout(poll, 1500);
})();
