/* Project sheet form: keeps a copy of what is typed in this browser
   (localStorage) and, if the page opens with older content than that copy
   (a closed tab, a crash, a lost connection), offers to take it back.
   Progressive enhancement only: the form works without it, and the server
   keeps the text of a person whose session expired. */
(function () {
  "use strict";
  var form = document.querySelector("form[data-draft-key]");
  var storage;
  try {
    storage = window.localStorage;
  } catch (error) {
    return;
  }
  if (!form || !storage) {
    return;
  }
  var key = "draft:" + form.getAttribute("data-draft-key");
  var savedAt = parseInt(form.getAttribute("data-draft-saved") || "0", 10) * 1000;
  var offer = form.querySelector(".draft-offer");
  var skipped = ["csrfmiddlewaretoken"];

  function fields() {
    return Array.prototype.filter.call(form.elements, function (element) {
      return element.name && skipped.indexOf(element.name) === -1 &&
        ["submit", "button", "hidden", "file"].indexOf(element.type) === -1;
    });
  }

  function values() {
    var data = {};
    fields().forEach(function (element) {
      if (element.type === "checkbox" || element.type === "radio") {
        data[element.name] = data[element.name] || [];
        if (element.checked) {
          data[element.name].push(element.value);
        }
      } else {
        data[element.name] = [element.value];
      }
    });
    return data;
  }

  function apply(data) {
    fields().forEach(function (element) {
      if (!Object.prototype.hasOwnProperty.call(data, element.name)) {
        return;
      }
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = data[element.name].indexOf(element.value) !== -1;
      } else {
        element.value = data[element.name][0] || "";
      }
    });
  }

  function read() {
    try {
      return JSON.parse(storage.getItem(key));
    } catch (error) {
      return null;
    }
  }

  function write() {
    try {
      storage.setItem(key, JSON.stringify({ at: Date.now(), values: values() }));
    } catch (error) {
      // Storage full or refused: the form still works.
    }
  }

  function forget() {
    try {
      storage.removeItem(key);
    } catch (error) {
      // Nothing to do.
    }
  }

  var draft = read();
  var differs = draft && draft.values &&
    JSON.stringify(draft.values) !== JSON.stringify(values());
  if (differs && draft.at > savedAt && offer) {
    offer.hidden = false;
    offer.querySelector(".draft-restore").addEventListener("click", function () {
      apply(draft.values);
      offer.hidden = true;
      write();
      var first = fields()[0];
      if (first) {
        first.focus();
      }
    });
    offer.querySelector(".draft-forget").addEventListener("click", function () {
      forget();
      offer.hidden = true;
    });
  } else if (draft) {
    // Saved since, or the same as what the page shows: nothing to offer.
    forget();
  }

  var timer = null;
  form.addEventListener("input", function () {
    window.clearTimeout(timer);
    timer = window.setTimeout(write, 400);
  });
  form.addEventListener("change", write);
})();
