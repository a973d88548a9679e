/* /apply/: keep what the SME types, and show the cost-share split as the total is typed.
 *
 * 1. Forms marked data-keep-draft copy their fields to localStorage as they are typed. If the page
 *    is closed, the session expires or the network fails before the server has saved them, the
 *    next visit to the same form puts them back and says so. A successful save clears the copy.
 * 2. The .preview panel asks /api/v1/cost-share/preview/ for the §3.2 split of the typed total.
 * No inline script: this file is served by the app itself (closed networks, CSP).
 */
(function () {
  "use strict";

  var PREFIX = "sf-draft:";
  var lang = document.documentElement.lang || "ko";
  function text(key) {
    var table = {
      ko: {
        restored: "저장하지 않은 입력을 복원했습니다. 확인한 뒤 저장하세요.",
        discard: "복원한 입력 버리기",
        leave: "저장하지 않은 입력이 있습니다.",
        failed: "미리보기를 계산하지 못했습니다. 저장하면 다시 계산됩니다.",
        invalid: "금액은 원 단위 숫자로 입력해 주세요(예: 150,000,000).",
      },
      en: {
        restored: "Unsaved input was restored. Check it and save.",
        discard: "Discard restored input",
        leave: "You have unsaved input.",
        failed: "The preview could not be calculated. It is calculated again when you save.",
        invalid: "Enter the amount in whole won (e.g. 150,000,000).",
      },
    };
    return (table[lang.slice(0, 2)] || table.ko)[key];
  }

  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
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

  function keepDrafts() {
    var store = storage();
    if (!store) { return; }
    var saved = document.querySelector(".messages .success");
    if (saved) {  // the server saved the last submission: its copies are no longer needed
      Object.keys(store).forEach(function (k) {
        if (k.indexOf(PREFIX) === 0 && /:pending$/.test(k)) { store.removeItem(k); }
      });
    }
    var hasErrors = !!document.querySelector(".error-summary");
    document.querySelectorAll("form[data-keep-draft]").forEach(function (form) {
      var key = PREFIX + form.getAttribute("data-keep-draft");
      var dirty = false;
      var submitting = false;
      if (hasErrors) {
        // The server sent back exactly what was typed, with its errors: that is the truth now.
        store.removeItem(key + ":pending");
      } else {
        var copy = store.getItem(key) || store.getItem(key + ":pending");
        if (copy) {
          var data = null;
          try { data = JSON.parse(copy); } catch (e) { data = null; }
          if (data && write(form, data)) { announce(form, key); dirty = true; }
          store.removeItem(key + ":pending");
          if (data) { store.setItem(key, JSON.stringify(data)); }
        }
      }
      form.addEventListener("input", function () {
        dirty = true;
        store.setItem(key, JSON.stringify(read(form)));
      });
      form.addEventListener("change", function () {
        dirty = true;
        store.setItem(key, JSON.stringify(read(form)));
      });
      form.addEventListener("submit", function () {
        submitting = true;
        store.setItem(key + ":pending", JSON.stringify(read(form)));
        store.removeItem(key);
      });
      window.addEventListener("beforeunload", function (event) {
        if (dirty && !submitting) {
          event.preventDefault();
          event.returnValue = text("leave");
          return text("leave");
        }
        return undefined;
      });
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

  function parseWon(value) {
    var cleaned = (value || "").replace(/[\s,]/g, "").replace(/원$/, "");
    if (cleaned === "") { return null; }
    if (!/^[0-9]+$/.test(cleaned)) { return NaN; }
    return Number(cleaned);
  }

  function won(n) {
    var digits = n.toLocaleString("en-US");
    return lang.slice(0, 2) === "ko" ? digits + "원" : "KRW " + digits;
  }

  function livePreview() {
    var panel = document.querySelector(".preview[data-preview-url]");
    if (!panel) { return; }
    var input = document.getElementById(panel.getAttribute("data-for"));
    var tokenInput = document.querySelector("input[name=csrfmiddlewaretoken]");
    if (!input || !tokenInput) { return; }
    var part = function (name) { return panel.querySelector("[data-part=" + name + "]"); };
    var timer = null;
    var sequence = 0;

    function show(result) {
      ["total", "government", "sponsor", "sme"].forEach(function (name) {
        part(name).textContent = result ? won(result[name]) : "–";
      });
      part("capped").hidden = !(result && result.capped);
    }

    function fail(message) {
      show(null);
      part("error").textContent = message;
      part("error").hidden = false;
    }

    function update() {
      var amount = parseWon(input.value);
      part("error").hidden = true;
      if (amount === null) { show(null); return; }
      if (isNaN(amount)) { fail(text("invalid")); return; }
      var mine = ++sequence;
      fetch(panel.getAttribute("data-preview-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": tokenInput.value, "Accept-Language": lang },
        body: JSON.stringify({
          program: Number(panel.getAttribute("data-program")),
          level: panel.getAttribute("data-level"),
          total_cost: amount,
        }),
      }).then(function (response) {
        return response.json().then(function (body) { return { ok: response.ok, body: body }; });
      }).then(function (answer) {
        if (mine !== sequence) { return; }  // a newer request is on its way
        if (answer.ok) { show(answer.body); return; }
        var message = (answer.body.total_cost && answer.body.total_cost[0]) || answer.body.detail || text("failed");
        fail(message);
      }).catch(function () {
        if (mine === sequence) { fail(text("failed")); }
      });
    }

    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(update, 250);
    });
    input.addEventListener("blur", function () {
      var amount = parseWon(input.value);
      if (amount !== null && !isNaN(amount)) { input.value = amount.toLocaleString("en-US"); }
    });
  }

  keepDrafts();
  livePreview();
})();
