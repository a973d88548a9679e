/* /reports/: refresh the rows still being generated from their data-url (the report in the API) until they finish. */
(function () {
  "use strict";
  var lang = (document.documentElement.lang || "ko").slice(0, 2);
  var T = {
    ko: { download: "내려받기", done: "보고서가 완성되었습니다.", failed: "보고서를 만들지 못했습니다." },
    en: { download: "Download", done: "The report is ready.", failed: "The report could not be produced." },
  }[lang] || null;
  if (!T) { T = { download: "내려받기", done: "보고서가 완성되었습니다.", failed: "보고서를 만들지 못했습니다." }; }
  var live = document.getElementById("reports-live");
  // The report tones of config/templatetags/badges.py TONES (a test keeps the two the same).
  var TONES = { pending: "bg-light-gray", running: "bg-light-information", done: "bg-light-success", failed: "bg-light-danger" };

  function showStatus(row, report) {
    var badge = row.querySelector("[data-part=status] .krds-badge");
    badge.className = "krds-badge " + (TONES[report.status] || "bg-light-gray") + " status status-" + report.status;
    badge.textContent = report.status_display || report.status;
  }

  function refresh(row) {
    fetch(row.getAttribute("data-url"), { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (response) { return response.ok ? response.json() : null; })
      .then(function (report) {
        if (!report) { return; }
        row.setAttribute("data-status", report.status);
        showStatus(row, report);
        row.querySelector("progress").value = report.progress;
        row.querySelector("[data-part=progress]").textContent = report.progress + "%";
        if (report.status === "done") {
          var cell = row.querySelector("[data-part=file]");
          cell.textContent = "";
          var link = document.createElement("a");
          link.href = row.getAttribute("data-download-url");
          link.textContent = T.download;
          cell.appendChild(link);
          if (live) { live.textContent = T.done; }
        } else if (report.status === "failed") {
          if (report.error) {
            var error = document.createElement("span");
            error.className = "field-error";
            error.textContent = report.error;
            row.querySelector("[data-part=status]").appendChild(document.createElement("br"));
            row.querySelector("[data-part=status]").appendChild(error);
          }
          if (live) { live.textContent = T.failed; }
        }
      })
      .catch(function () { /* try again on the next tick */ });
  }

  function tick() {
    var pending = document.querySelectorAll("tr[data-status=pending], tr[data-status=running]");
    pending.forEach(refresh);
    if (pending.length) { setTimeout(tick, 1000); }
  }
  setTimeout(tick, 500);
})();
