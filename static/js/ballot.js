// Basket ballots: show the running total of each envelope while choosing (the server
// checks every rule again; without JavaScript the ballot works the same).
(function () {
  var form = document.querySelector("form.ballot[data-method='basket']");
  if (!form) return;
  var euro = new Intl.NumberFormat(document.documentElement.lang || "fr", {style: "currency", currency: "EUR", maximumFractionDigits: 0});
  form.querySelectorAll("fieldset.envelope").forEach(function (fieldset) {
    var envelope = parseFloat(fieldset.dataset.envelope);
    var output = fieldset.querySelector(".basket-total");
    if (!output) return;
    function update() {
      var total = 0;
      fieldset.querySelectorAll("input[type='checkbox']:checked").forEach(function (box) { total += parseFloat(box.dataset.cost || "0"); });
      output.hidden = false;
      output.classList.toggle("over", total > envelope);
      output.textContent = output.dataset.label.replace("%(total)s", euro.format(total)).replace("%(left)s", euro.format(envelope - total));
    }
    fieldset.addEventListener("change", update);
    update();
  });
})();
