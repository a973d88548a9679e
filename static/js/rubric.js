/*
 * The rubric builder on the program form (program/templates/program/staff/edit.html).
 *
 * Without script the page is a Django formset with a few empty rows, an order number and a delete
 * box per row, and the server judges the sum. With it, rows are added from the page's <template>,
 * removed and moved up and down in place, and the running total follows every keystroke. The order
 * numbers and delete boxes stay in the form (hidden) so the server reads the same fields either way.
 */
(function () {
  "use strict";

  function rows(builder) {
    return Array.prototype.slice.call(builder.querySelectorAll("[data-rubric-rows] > [data-rubric-row]"));
  }

  function deleteBox(row) {
    return row.querySelector("[data-rubric-delete] input[type=checkbox]");
  }

  function live(builder) {
    return rows(builder).filter(function (row) { return !row.hidden; });
  }

  function points(row) {
    var input = row.querySelector("input[name$='-max_points']");
    var value = input ? input.value.trim() : "";
    return /^\d+$/.test(value) ? parseInt(value, 10) : 0;
  }

  function update(builder) {
    var shown = live(builder);
    shown.forEach(function (row, index) {
      var order = row.querySelector("input[name$='-ORDER']");
      if (order) { order.value = String(index + 1); }
      row.querySelector("[data-rubric-up]").disabled = index === 0;
      row.querySelector("[data-rubric-down]").disabled = index === shown.length - 1;
    });
    var total = shown.reduce(function (sum, row) { return sum + points(row); }, 0);
    var expected = parseInt(builder.getAttribute("data-rubric-expected"), 10);
    var output = builder.querySelector("[data-rubric-total]");
    output.textContent = String(total);
    output.classList.toggle("is-off", total !== expected);
    var max = builder.querySelector("input[name$='-MAX_NUM_FORMS']");
    var count = builder.querySelector("input[name$='-TOTAL_FORMS']");
    builder.querySelector("[data-rubric-add]").disabled =
      !!max && parseInt(count.value, 10) >= parseInt(max.value, 10);
  }

  function enhance(builder, row) {
    row.querySelector("[data-rubric-delete]").hidden = true;
    row.querySelector("input[name$='-ORDER']").hidden = true;
    ["[data-rubric-up]", "[data-rubric-down]", "[data-rubric-remove]"].forEach(function (selector) {
      row.querySelector(selector).hidden = false;
    });
    if (deleteBox(row) && deleteBox(row).checked) { row.hidden = true; }
  }

  function setUp(builder) {
    var body = builder.querySelector("[data-rubric-rows]");
    var template = builder.querySelector("template[data-rubric-template]");
    var count = builder.querySelector("input[name$='-TOTAL_FORMS']");
    builder.classList.add("is-enhanced");
    rows(builder).forEach(function (row) { enhance(builder, row); });
    var add = builder.querySelector("[data-rubric-add]");
    add.hidden = false;
    add.addEventListener("click", function () {
      var index = parseInt(count.value, 10);
      var holder = document.createElement("tbody");
      holder.innerHTML = template.innerHTML.replace(/__prefix__/g, String(index));
      var row = holder.querySelector("[data-rubric-row]");
      body.appendChild(row);
      count.value = String(index + 1);
      enhance(builder, row);
      update(builder);
      row.querySelector("input[name$='-label']").focus();
    });
    body.addEventListener("click", function (event) {
      var button = event.target.closest("button");
      if (!button) { return; }
      var row = button.closest("[data-rubric-row]");
      if (button.hasAttribute("data-rubric-remove")) {
        deleteBox(row).checked = true;
        row.hidden = true;
        var next = live(builder)[0];
        (next ? next.querySelector("input[name$='-label']") : add).focus();
      } else if (button.hasAttribute("data-rubric-up")) {
        var before = previousLive(row);
        if (before) { body.insertBefore(row, before); }
        button.focus();
      } else if (button.hasAttribute("data-rubric-down")) {
        var after = nextLive(row);
        if (after) { body.insertBefore(after, row); }
        button.focus();
      }
      update(builder);
    });
    body.addEventListener("input", function () { update(builder); });
    update(builder);
  }

  function previousLive(row) {
    var node = row.previousElementSibling;
    while (node && node.hidden) { node = node.previousElementSibling; }
    return node;
  }

  function nextLive(row) {
    var node = row.nextElementSibling;
    while (node && node.hidden) { node = node.nextElementSibling; }
    return node;
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-rubric-builder]"), setUp);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
