/*
 * The documents step's KRDS file upload (applicants/templates/applicants/apply/step_documents.html).
 * Without JavaScript the browser's own file input posts the form. Here the drop zone takes over: a
 * file dropped on it becomes the input's file, its name and size are shown (and announced), and the
 * "파일 선택" button, Enter or Space on the focused input open the browser's chooser. Nothing is sent
 * until the user presses 올리기, since the document's kind is chosen in the same form.
 */
(function () {
  "use strict";

  function sizeText(bytes) {
    if (bytes >= 1024 * 1024) return (bytes / (1024 * 1024)).toFixed(1) + " MB";
    if (bytes >= 1024) return Math.round(bytes / 1024) + " KB";
    return bytes + " B";
  }

  function enhance(zone) {
    var input = zone.querySelector("input[type=file]");
    var chosen = zone.querySelector("[data-chosen]");
    var button = zone.querySelector(".file-choose");
    if (!input || !chosen) return;
    zone.classList.add("is-enhanced");

    function showChosen() {
      var names = Array.prototype.map.call(input.files, function (file) {
        return file.name + " [" + sizeText(file.size) + "]";
      });
      chosen.textContent = names.length ? (zone.dataset.chosenLabel || "") + ": " + names.join(", ") : "";
    }

    input.addEventListener("change", showChosen);
    if (button) button.addEventListener("click", function () { input.click(); });
    ["dragenter", "dragover"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.add("active");
      });
    });
    ["dragleave", "drop"].forEach(function (type) {
      zone.addEventListener(type, function (event) {
        event.preventDefault();
        zone.classList.remove("active");
      });
    });
    zone.addEventListener("drop", function (event) {
      var files = event.dataTransfer && event.dataTransfer.files;
      if (!files || !files.length) return;
      var transfer = new DataTransfer();
      transfer.items.add(files[0]);  // one file per upload: the form takes one
      input.files = transfer.files;
      showChosen();
      input.focus();
    });
  }

  document.querySelectorAll("[data-drop-zone]").forEach(enhance);
})();
