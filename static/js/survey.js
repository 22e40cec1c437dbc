// Conditional questions on the same page: shown only when the earlier question has one of
// the listed answers. Without JavaScript they stay visible with their condition written
// out, and the server ignores an answer to a question that should not have been shown.
(function () {
  var form = document.querySelector("form.survey-form");
  if (!form) return;
  var dependants = form.querySelectorAll("fieldset[data-condition]");
  function update() {
    dependants.forEach(function (fieldset) {
      var earlier = form.querySelectorAll("input[name='q" + fieldset.dataset.condition + "']");
      if (!earlier.length) return;  // on an earlier page: the server decided
      var wanted = fieldset.dataset.values.split(",");
      var shown = Array.prototype.some.call(earlier, function (input) { return input.checked && wanted.indexOf(input.value) >= 0; });
      fieldset.hidden = !shown;
      var note = fieldset.querySelector(".condition");
      if (note) note.hidden = true;
    });
  }
  form.addEventListener("change", update);
  update();
})();
