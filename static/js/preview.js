/* A document's preview on the staff application page (applicants/templates/applicants/panels/documents.html).
 *
 * A PDF is framed only when its <details> is first opened, so a page with many documents does not
 * fetch them all. The frame's address is the download with ?inline=1, which only that response lets
 * the app's own pages frame (config/files.py). Without JavaScript the <details> holds a link that
 * opens the same preview in a new window; an image needs no script (a lazy <img>).
 */
(function () {
  "use strict";

  function frame(details) {
    if (details.querySelector("iframe")) {
      return;
    }
    var iframe = document.createElement("iframe");
    iframe.src = details.getAttribute("data-preview-src");
    iframe.title = details.getAttribute("data-preview-title") || "";
    iframe.className = "preview-frame";
    details.querySelector(".preview-box").prepend(iframe);
  }

  // "toggle" does not bubble: listen in the capture phase, which also covers panels htmx re-draws.
  document.addEventListener(
    "toggle",
    function (event) {
      var details = event.target;
      if (details.matches && details.matches("details[data-preview-src]") && details.open) {
        frame(details);
      }
    },
    true
  );
})();
