// 인쇄 buttons (the 접수증, the 평가표): shown only when this script runs, and open the browser's print
// dialog; static/css/print.css lays the page out for A4. No inline script (CSP).
(function () {
  "use strict";
  document.querySelectorAll("[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      window.print();
    });
  });
})();
