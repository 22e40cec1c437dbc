// The admin's progress page: ask the small JSON endpoint every two seconds while sending.
(function () {
  "use strict";
  var box = document.getElementById("newsletter-progress");
  if (!box || box.dataset.status !== "sending") return;
  var bar = document.getElementById("newsletter-progress-bar");

  function show(data) {
    box.querySelectorAll("[data-field]").forEach(function (cell) {
      var value = data[cell.dataset.field];
      if (value !== undefined && value !== null) cell.textContent = value;
    });
    bar.max = data.total || 1;
    bar.value = data.done;
    box.dataset.status = data.status;
  }

  function poll() {
    fetch(box.dataset.url, {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (data) {
        if (data) show(data);
        if (!data || data.status === "sending") window.setTimeout(poll, 2000);
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
