/* /apply/: show the cost-share split as the total is typed.
 *
 * The .preview panel asks /api/v1/cost-share/preview/ for the §3.2 split of the typed total.
 * (What the SME types is kept by drafts.js, which every signed-in page loads.)
 * No inline script: this file is served by the app itself (closed networks, CSP).
 */
(function () {
  "use strict";

  var lang = document.documentElement.lang || "ko";
  function text(key) {
    var table = {
      ko: {
        failed: "미리보기를 계산하지 못했습니다. 저장하면 다시 계산됩니다.",
        invalid: "금액은 원 단위 숫자로 입력해 주세요(예: 150,000,000).",
      },
      en: {
        failed: "The preview could not be calculated. It is calculated again when you save.",
        invalid: "Enter the amount in whole won (e.g. 150,000,000).",
      },
    };
    return (table[lang.slice(0, 2)] || table.ko)[key];
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

  livePreview();
})();
