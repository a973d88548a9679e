/*
 * The KRDS mobile menu (#mobile-nav in base.html), opened by the 전체메뉴 button below 1024 px.
 * Written here rather than KRDS's krds.min.js: that script drives the whole KRDS site (search
 * layers, font resizing, GNB animations) and is not needed for one menu; this one sets no inline
 * style, so the CSP (no inline style or script) holds. Escape or the close button shuts the menu and
 * focus goes back to the button that opened it.
 */
(function () {
  "use strict";

  var menu = document.getElementById("mobile-nav");
  var opener = document.querySelector("[data-menu-open]");
  if (!menu || !opener) return;
  var closer = menu.querySelector("[data-menu-close]");

  function open() {
    menu.hidden = false;
    // One frame later, so the KRDS transition runs from the closed state.
    window.requestAnimationFrame(function () {
      menu.classList.add("is-open", "is-backdrop");
      document.body.classList.add("menu-open");
      opener.setAttribute("aria-expanded", "true");
      // The panel slides in (a KRDS transition): an element still hidden cannot take focus, so
      // try again briefly until it does.
      var first = menu.querySelector(".mobile-links a") || menu.querySelector("a, button");
      var tries = 0;
      (function focusFirst() {
        if (!first) return;
        first.focus();
        if (document.activeElement !== first && tries++ < 15) window.setTimeout(focusFirst, 50);
      })();
    });
  }

  function close() {
    menu.classList.remove("is-open", "is-backdrop");
    document.body.classList.remove("menu-open");
    opener.setAttribute("aria-expanded", "false");
    menu.hidden = true;
    opener.focus();
  }

  opener.addEventListener("click", open);
  if (closer) closer.addEventListener("click", close);
  menu.addEventListener("click", function (event) {
    if (event.target === menu) close();  // the dimmed backdrop beside the panel
  });
  document.addEventListener("keydown", function (event) {
    if (event.key === "Escape" && menu.classList.contains("is-open")) close();
  });
})();
