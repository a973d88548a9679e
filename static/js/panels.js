/* A panel of the staff application page sends its form with htmx (applicants/panels.py).
 *
 * While it is on its way, the messages of the last action are stale: they are taken away, and the
 * answer brings what is true now — the panel re-drawn with its error, or the page drawn again (an
 * HX-Redirect) with the new message. Without this, the old "done" would stand beside a new error.
 * No inline script: this file is served by the app itself (closed networks, CSP).
 */
(function () {
  "use strict";

  document.addEventListener("htmx:beforeRequest", function () {
    var messages = document.querySelector("main .messages");
    if (messages) {
      messages.remove();
    }
  });
})();
