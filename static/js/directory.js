// The directory's filters sit in a <details> that is closed by default, so that a phone
// shows the results first. On a wide screen there is room beside the results: open it.
// Without JavaScript it stays closed and opens with one click on "Filtrer".
(function () {
  "use strict";
  var filters = document.getElementById("directory-filters");
  if (!filters || !window.matchMedia) {
    return;
  }
  // Keep in step with the breakpoint of static/css/directory.css.
  var wide = window.matchMedia("(min-width: 60em)");
  function follow(query) {
    if (query.matches) {
      filters.open = true;
    }
  }
  follow(wide);
  if (wide.addEventListener) {
    wide.addEventListener("change", follow);
  }
})();
