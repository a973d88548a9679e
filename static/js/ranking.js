/* The ranking page (funds/templates/funds/ranking.html): a "select all" box over the rows' committee
 * checkboxes. Without JavaScript the box stays hidden and each row is ticked on its own. */
(function () {
  "use strict";

  var all = document.querySelector("[data-select-all]");
  if (!all) { return; }
  var name = all.dataset.selectAll;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input[type=checkbox][name='" + name + "']"));
  if (!boxes.length) { return; }

  function sync() {
    var ticked = boxes.filter(function (box) { return box.checked; }).length;
    all.checked = ticked === boxes.length;
    all.indeterminate = ticked > 0 && ticked < boxes.length;
  }

  all.hidden = false;
  all.addEventListener("change", function () {
    boxes.forEach(function (box) { box.checked = all.checked; });
    sync();
  });
  boxes.forEach(function (box) { box.addEventListener("change", sync); });
  sync();
})();
