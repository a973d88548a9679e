/* Tabs (KRDS tab markup, WAI-ARIA tabs pattern), for any page:
 *
 *   <div data-tabs [data-tabs-open="key"]>
 *     <div class="tab line" data-tabs-list hidden><ul role="tablist">
 *       <li role="presentation"><a role="tab" id="tab-x-tab" href="#tab-x" aria-controls="tab-x" class="btn-tab">…</a></li> …
 *     </ul></div>
 *     <section id="tab-x" role="tabpanel" aria-labelledby="tab-x-tab" tabindex="0">…</section> …
 *   </div>
 *
 * Without JavaScript the list stays hidden and every section shows, one after another. With it, one
 * panel shows at a time; ←/→/Home/End move between tabs; each tab is a URL fragment (#tab-x), so a
 * link or a reload opens the same tab, and a fragment naming something inside a panel (#payments)
 * opens that panel's tab. The last tab opened on a page is remembered for the browser tab's session:
 * after a form posts and the page comes back (htmx's HX-Redirect drops the fragment) it is open again.
 */
(function () {
  "use strict";

  function setup(root) {
    var list = root.querySelector("[data-tabs-list]");
    var tabs = Array.prototype.slice.call(root.querySelectorAll("[role=tab]"));
    if (!list || !tabs.length) {
      return;
    }
    var key = "tabs:" + location.pathname;

    function panelOf(tab) {
      return document.getElementById(tab.getAttribute("aria-controls"));
    }

    function select(tab, remember) {
      tabs.forEach(function (each) {
        var on = each === tab;
        each.setAttribute("aria-selected", on ? "true" : "false");
        each.tabIndex = on ? 0 : -1;
        each.parentElement.classList.toggle("active", on);
        panelOf(each).hidden = !on;
      });
      if (remember) {
        try {
          sessionStorage.setItem(key, tab.getAttribute("aria-controls"));
        } catch (e) {
          /* storage refused (private mode): the fragment still works */
        }
      }
    }

    function tabFor(id) {
      if (!id) {
        return null;
      }
      var target = document.getElementById(id);
      if (!target) {
        return null;
      }
      return tabs.filter(function (tab) {
        return panelOf(tab).contains(target);
      })[0] || null;
    }

    function fromHash() {
      var id = decodeURIComponent(location.hash.slice(1));
      var tab = tabFor(id);
      if (tab) {
        select(tab, true);
        var target = document.getElementById(id);
        if (target !== panelOf(tab)) {
          target.scrollIntoView();
        }
      }
      return tab;
    }

    function remembered() {
      try {
        return tabFor(sessionStorage.getItem(key));
      } catch (e) {
        return null;
      }
    }

    tabs.forEach(function (tab, index) {
      tab.addEventListener("click", function (event) {
        event.preventDefault();
        select(tab, true);
        history.replaceState(null, "", "#" + tab.getAttribute("aria-controls"));
      });
      tab.addEventListener("keydown", function (event) {
        var next = {
          ArrowRight: index + 1,
          ArrowLeft: index - 1,
          Home: 0,
          End: tabs.length - 1,
        }[event.key];
        if (next === undefined) {
          return;
        }
        event.preventDefault();
        var to = tabs[(next + tabs.length) % tabs.length];
        to.focus();
        to.click();
      });
    });

    list.hidden = false;
    root.classList.add("tabs-ready");
    var forced = root.getAttribute("data-tabs-open");
    var first = tabs.filter(function (tab) {
      return tab.getAttribute("aria-selected") === "true";
    })[0] || tabs[0];
    if (!fromHash()) {
      select((forced && tabFor(forced)) || remembered() || first, false);
    }
    window.addEventListener("hashchange", fromHash);
  }

  function init() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-tabs]"), setup);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
