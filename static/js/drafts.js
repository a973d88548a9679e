/* Unsaved input kept in the browser, for the person who typed it only.
 *
 * A form marked data-keep-draft="<scope>" data-draft-owner="<tag>" (the tag is the server's opaque
 * name for the signed-in user) copies its fields to localStorage as they are typed, under
 * "sf-draft:<tag>:<scope>". If the page is closed, the session expires or the network fails before
 * the server has saved them, the next visit to the same form by the same user puts them back and
 * says so. A successful save clears the copy.
 * Drafts never cross users on a shared computer: a copy is restored only when the owner recorded
 * in it is the page's user, any other user's copies are removed when a form is shown, and signing
 * out (the form marked data-clear-drafts) removes every copy kept in this browser.
 * No inline script: this file is served by the app itself (closed networks, CSP).
 */
(function () {
  "use strict";

  var PREFIX = "sf-draft:";
  var lang = document.documentElement.lang || "ko";
  var leaving = false;  // signing out: what is typed is given up on purpose, no "unsaved" prompt
  function text(key) {
    var table = {
      ko: {
        restored: "저장하지 않은 입력을 복원했습니다. 확인한 뒤 저장하세요.",
        discard: "복원한 입력 버리기",
        leave: "저장하지 않은 입력이 있습니다.",
      },
      en: {
        restored: "Unsaved input was restored. Check it and save.",
        discard: "Discard restored input",
        leave: "You have unsaved input.",
      },
    };
    return (table[lang.slice(0, 2)] || table.ko)[key];
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }

  function draftKeys(store) {
    var keys = [];
    for (var i = 0; i < store.length; i++) {
      var k = store.key(i);
      if (k && k.indexOf(PREFIX) === 0) { keys.push(k); }
    }
    return keys;
  }

  function clearAll() {
    var store = storage();
    if (!store) { return; }
    draftKeys(store).forEach(function (k) { store.removeItem(k); });
  }

  function fieldsOf(form) {
    return Array.prototype.filter.call(form.elements, function (el) {
      return el.name && el.name !== "csrfmiddlewaretoken" && el.type !== "file" &&
        el.type !== "password" && el.type !== "submit" && el.type !== "button" && el.type !== "hidden";
    });
  }

  function read(form) {
    var data = {};
    fieldsOf(form).forEach(function (el) {
      data[el.name] = (el.type === "checkbox" || el.type === "radio") ? el.checked : el.value;
    });
    return data;
  }

  function write(form, data) {
    var changed = false;
    fieldsOf(form).forEach(function (el) {
      if (!(el.name in data)) { return; }
      if (el.type === "checkbox" || el.type === "radio") {
        if (el.checked !== data[el.name]) { el.checked = !!data[el.name]; changed = true; }
      } else if (el.value !== data[el.name]) {
        el.value = data[el.name];
        changed = true;
      }
    });
    return changed;
  }

  // A stored copy's fields, or null when it is unreadable or not `owner`'s.
  function ownFields(raw, owner) {
    var copy = null;
    try { copy = JSON.parse(raw); } catch (e) { copy = null; }
    if (!copy || copy.owner !== owner || typeof copy.fields !== "object" || copy.fields === null) {
      return null;
    }
    return copy.fields;
  }

  function keepDrafts() {
    var store = storage();
    if (!store) { return; }
    var forms = document.querySelectorAll("form[data-keep-draft][data-draft-owner]");
    if (!forms.length) { return; }
    var owner = forms[0].getAttribute("data-draft-owner");
    // Copies left by anyone else who used this browser (or in an older, unowned format) go now.
    draftKeys(store).forEach(function (k) {
      if (k.indexOf(PREFIX + owner + ":") !== 0) { store.removeItem(k); }
    });
    if (document.querySelector(".messages .success")) {
      // The server saved the last submission: its copies are no longer needed.
      draftKeys(store).forEach(function (k) {
        if (/:pending$/.test(k)) { store.removeItem(k); }
      });
    }
    var hasErrors = !!document.querySelector(".error-summary");
    forms.forEach(function (form) { keep(form, store, owner, hasErrors); });
  }

  function keep(form, store, owner, hasErrors) {
    var key = PREFIX + owner + ":" + form.getAttribute("data-keep-draft");
    var dirty = false;
    var submitting = false;
    function save(name) {
      store.setItem(name, JSON.stringify({ owner: owner, fields: read(form) }));
    }
    if (hasErrors) {
      // The server sent back exactly what was typed, with its errors: that is the truth now.
      store.removeItem(key + ":pending");
    } else {
      var raw = store.getItem(key) || store.getItem(key + ":pending");
      var fields = raw ? ownFields(raw, owner) : null;
      if (fields && write(form, fields)) { announce(form, key); dirty = true; }
      store.removeItem(key + ":pending");
      if (fields) { save(key); } else { store.removeItem(key); }
    }
    form.addEventListener("input", function () { dirty = true; save(key); });
    form.addEventListener("change", function () { dirty = true; save(key); });
    form.addEventListener("submit", function () {
      submitting = true;
      save(key + ":pending");
      store.removeItem(key);
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting && !leaving) {
        event.preventDefault();
        event.returnValue = text("leave");
        return text("leave");
      }
      return undefined;
    });
  }

  function announce(form, key) {
    var box = document.createElement("div");
    box.className = "restored card";
    box.setAttribute("role", "status");
    var p = document.createElement("p");
    p.textContent = text("restored");
    var discard = document.createElement("button");
    discard.type = "button";
    discard.className = "secondary";
    discard.textContent = text("discard");
    discard.addEventListener("click", function () {
      var store = storage();
      if (store) { store.removeItem(key); store.removeItem(key + ":pending"); }
      window.location.reload();
    });
    box.appendChild(p);
    box.appendChild(discard);
    form.parentNode.insertBefore(box, form);
  }

  function clearAtSignOut() {
    document.querySelectorAll("form[data-clear-drafts]").forEach(function (form) {
      form.addEventListener("submit", function () {
        leaving = true;
        clearAll();
      });
    });
  }

  clearAtSignOut();
  keepDrafts();
})();
