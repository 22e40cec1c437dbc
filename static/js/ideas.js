// While a title is typed, offer the similar ideas that already exist (no build step).
(function () {
  var form = document.querySelector("form[data-similar-url]");
  if (!form) return;
  var title = form.querySelector("#id_title");
  var target = document.getElementById("similar-ideas");
  if (!title || !target) return;
  var timer = null;
  var last = "";
  title.addEventListener("input", function () {
    clearTimeout(timer);
    timer = setTimeout(function () {
      var value = title.value.trim();
      if (value === last) return;
      last = value;
      if (value.length < 4) { target.innerHTML = ""; return; }
      fetch(form.dataset.similarUrl + "&title=" + encodeURIComponent(value), { credentials: "same-origin" })
        .then(function (response) { return response.ok ? response.text() : ""; })
        .then(function (html) { if (title.value.trim() === value) target.innerHTML = html.trim(); });
    }, 300);
  });
})();
