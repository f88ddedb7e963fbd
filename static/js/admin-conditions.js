// The admin's condition rows (a rule's conditions, a question's display conditions): when the
// question of a row changes, its choice picker shows that question's choices only, as the server
// shows them when the form is opened. Without this file the picker follows the question once the
// form is saved. Every question's choices are in the formset's hidden empty row, to copy from.
(function () {
  "use strict";

  var QUESTION = /^(.+)-(\d+|__prefix__)-question$/;

  function showChoicesOf(select) {
    var name = QUESTION.exec(select.name);
    if (!name || name[2] === "__prefix__") return;
    var picker = document.getElementById("id_" + name[1] + "-" + name[2] + "-choices");
    var every = document.getElementById("id_" + name[1] + "-__prefix__-choices");
    if (!picker || !every) return;
    var kept = {};
    picker.querySelectorAll("input:checked").forEach(function (input) {
      kept[input.value] = true;
    });
    var rows = [];
    every.querySelectorAll("input[data-question]").forEach(function (input) {
      if (input.dataset.question !== select.value) return;
      var row = input.closest("div").cloneNode(true);
      row.querySelectorAll("[id], [for], [name]").forEach(function (element) {
        ["id", "for", "name"].forEach(function (attribute) {
          var value = element.getAttribute(attribute);
          if (value) element.setAttribute(attribute, value.replace("__prefix__", name[2]));
        });
      });
      var box = row.querySelector("input");
      box.checked = Boolean(kept[box.value]);
      rows.push(row);
    });
    picker.replaceChildren.apply(picker, rows);
  }

  document.addEventListener("change", function (event) {
    if (event.target.matches && event.target.matches("select[name$='-question']")) {
      showChoicesOf(event.target);
    }
  });

  // A row added with "Add another" starts as a copy of the empty row: no question, so no choices.
  document.addEventListener("formset:added", function (event) {
    event.target.querySelectorAll("select[name$='-question']").forEach(showChoicesOf);
  });
})();
