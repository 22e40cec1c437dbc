// A select of answer templates fills the textarea it names (data-fills="<id>"); the agent
// then adapts the text. Without JavaScript the templates stay readable in the admin.
document.addEventListener("change", function (event) {
  var select = event.target;
  if (!select.matches || !select.matches("select[data-fills]")) return;
  var option = select.options[select.selectedIndex];
  var target = document.getElementById(select.dataset.fills);
  if (target && option && option.dataset.body !== undefined) {
    target.value = option.dataset.body;
    target.focus();
  }
});
