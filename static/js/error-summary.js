// The error summary (templates/includes/error_summary.html): focus moves to it when the
// page loads, so a screen reader reads it first; a link to a field focuses the field and
// scrolls its label (or its group's legend) into view, which a bare anchor would hide
// under the top of the screen. Without this script, the summary and its links still work.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (!summary) {
    return;
  }
  summary.focus();

  function labelOf(input) {
    var fieldset = input.closest("fieldset");
    if ((input.type === "radio" || input.type === "checkbox") && fieldset) {
      var legend = fieldset.querySelector("legend");
      if (legend) {
        return legend;
      }
    }
    if (input.id) {
      var label = document.querySelector('label[for="' + CSS.escape(input.id) + '"]');
      if (label) {
        return label;
      }
    }
    return input;
  }

  summary.addEventListener("click", function (event) {
    var link = event.target.closest("a[href^='#']");
    if (!link) {
      return;
    }
    var input = document.getElementById(decodeURIComponent(link.hash.slice(1)));
    if (!input) {
      return;
    }
    event.preventDefault();
    labelOf(input).scrollIntoView();
    input.focus({ preventScroll: true });
    if (history.replaceState) {
      history.replaceState(null, "", link.hash);
    }
  });
})();
