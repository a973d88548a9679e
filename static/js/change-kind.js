/* The agreement-change form (projects:my-changes): only the field of the chosen kind shows.
 *
 *   <form data-change-form> … <input type="radio" name="kind" value="extension"> …
 *     <div data-change-kind="extension">…the new end date…</div> …
 *
 * Without JavaScript every field shows, with a hint saying which kind it is for; the server keeps only
 * the chosen kind's value. With it, the others are hidden and disabled so nothing else is sent.
 */
(function () {
  "use strict";

  function setup(form) {
    var radios = Array.prototype.slice.call(form.querySelectorAll("input[name=kind]"));
    var groups = Array.prototype.slice.call(form.querySelectorAll("[data-change-kind]"));

    function update() {
      var chosen = radios.filter(function (radio) { return radio.checked; })[0];
      var kind = chosen ? chosen.value : "";
      groups.forEach(function (group) {
        var shown = group.getAttribute("data-change-kind") === kind;
        group.hidden = !shown;
        Array.prototype.forEach.call(group.querySelectorAll("input, select, textarea"), function (field) {
          field.disabled = !shown;
        });
      });
    }

    radios.forEach(function (radio) { radio.addEventListener("change", update); });
    update();
  }

  document.querySelectorAll("[data-change-form]").forEach(setup);
})();
