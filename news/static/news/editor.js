// The small toolbar above the text of a news item: each button wraps the selected text in
// a tag (the server keeps only the allowed ones, news/sanitise.py). Without JavaScript the
// text is typed as HTML or plain text.
(function () {
  "use strict";
  function setUp() {
    var toolbar = document.querySelector("[data-news-toolbar]");
    var area = document.querySelector("textarea[data-news-editor]");
    if (!toolbar || !area) return;
    // The toolbar and the text, one above the other, in the admin's field row.
    var wrapper = document.createElement("div");
    wrapper.className = "news-editor";
    area.parentNode.insertBefore(wrapper, area);
    wrapper.appendChild(toolbar);
    wrapper.appendChild(area);
    toolbar.hidden = false;

    function wrap(before, after, placeholder) {
      var start = area.selectionStart, end = area.selectionEnd;
      var selected = area.value.slice(start, end) || placeholder || "";
      area.setRangeText(before + selected + after, start, end, "end");
      area.selectionStart = start + before.length;
      area.selectionEnd = start + before.length + selected.length;
      area.focus();
      area.dispatchEvent(new Event("input", {bubbles: true}));
    }

    toolbar.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) return;
      if (button.dataset.list) {
        var start = area.selectionStart, end = area.selectionEnd;
        var lines = area.value.slice(start, end).split("\n").filter(function (line) { return line.trim(); });
        var items = (lines.length ? lines : [""]).map(function (line) { return "  <li>" + line + "</li>"; });
        var tag = button.dataset.list;
        area.setRangeText("<" + tag + ">\n" + items.join("\n") + "\n</" + tag + ">", start, end, "end");
        area.focus();
        return;
      }
      if (button.dataset.link) {
        var address = window.prompt(button.dataset.prompt, "https://");
        if (!address) return;
        var safe = address.replace(/&/g, "&amp;").replace(/"/g, "&quot;").replace(/</g, "&lt;");
        wrap('<a href="' + safe + '">', "</a>", address);
        return;
      }
      wrap(button.dataset.before, button.dataset.after, "");
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setUp);
  else setUp();
})();
