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
        invalid: "금액은 원 단위 숫자로 입력해 주세요(예: 150,000,000 또는 1억 5,000만).",
        fullWidth: "금액은 반각 숫자(0–9)로 입력해 주세요. 전각 숫자(０–９)는 쓸 수 없습니다.",
      },
      en: {
        failed: "The preview could not be calculated. It is calculated again when you save.",
        invalid: "Enter the amount in won, e.g. 150,000,000 or 1억 5,000만 (150 million).",
        fullWidth: "Enter the amount with the digits 0–9; full-width digits (０–９) are not accepted.",
      },
    };
    return (table[lang.slice(0, 2)] || table.ko)[key];
  }

  // Mirrors config/money.py parse_won (the shared cases: tests/test_money.py, tests/browser/test_money.py):
  // ASCII digits with thousands separators, spaces, 억, 만 and a final 원. null: nothing typed; NaN: not an amount.
  var NUMBER = "(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)";
  var AMOUNT = new RegExp("^(?:(" + NUMBER + ") *억)? *(?:(" + NUMBER + ") *만)? *(" + NUMBER + ")? *(원)?$");
  var EOK = 100000000, MAN = 10000, MAX_AMOUNT = 999999999999999999;

  function parseWon(value) {
    var text = (value || "").trim();
    if (text === "") { return null; }
    var match = text.length <= 40 ? AMOUNT.exec(text) : null;
    if (!match || (match[1] === undefined && match[2] === undefined && match[3] === undefined)) { return NaN; }
    var number = function (group) { return group === undefined ? 0 : Number(group.replace(/,/g, "")); };
    var eok = number(match[1]), man = number(match[2]), rest = number(match[3]);
    if (match[1] !== undefined && man >= MAN) { return NaN; }
    if (rest >= (match[2] !== undefined ? MAN : match[1] !== undefined ? EOK : MAX_AMOUNT + 1)) { return NaN; }
    var amount = eok * EOK + man * MAN + rest;
    return amount <= MAX_AMOUNT ? amount : NaN;
  }
  window.smartFactoryParseWon = parseWon;  // for the browser test that checks the shared cases

  // Mirrors config/money.py won: `96,466,820원`, in English `₩96,466,820`.
  function won(n) {
    var digits = Math.abs(n).toLocaleString("en-US");
    var sign = n < 0 ? "-" : "";
    return lang.slice(0, 2) === "ko" ? sign + digits + "원" : sign + "₩" + digits;
  }

  // Thousands separators as digits are typed, the caret kept after the same digit. Amounts in
  // 억/만 are left as typed (and nothing is touched while an input method is composing Hangul).
  function formatAsTyped(input, event) {
    if (event && event.isComposing) { return; }
    var value = input.value;
    if (!/^[0-9,]+$/.test(value)) { return; }
    var caret = input.selectionStart === null ? value.length : input.selectionStart;
    var digitsBefore = value.slice(0, caret).replace(/,/g, "").length;
    var digits = value.replace(/,/g, "").replace(/^0+(?=[0-9])/, "");
    if (digits.length > 18) { return; }
    var formatted = digits.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
    if (formatted === value) { return; }
    input.value = formatted;
    var position = 0, seen = 0;
    while (position < formatted.length && seen < digitsBefore) {
      if (formatted.charAt(position) !== ",") { seen += 1; }
      position += 1;
    }
    if (document.activeElement === input) { input.setSelectionRange(position, position); }
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
      if (isNaN(amount)) { fail(text(/[０-９]/.test(input.value) ? "fullWidth" : "invalid")); return; }
      var mine = ++sequence;
      fetch(panel.getAttribute("data-preview-url"), {
        method: "POST",
        credentials: "same-origin",
        headers: { "Content-Type": "application/json", "X-CSRFToken": tokenInput.value, "Accept-Language": lang },
        body: JSON.stringify({
          program: Number(panel.getAttribute("data-program")),
          level: panel.getAttribute("data-level"),
          total_cost: amount,
          // SPEC §15.3: the company's own history decides the same-level repeat cap.
          company: Number(panel.getAttribute("data-company")) || null,
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

    input.addEventListener("input", function (event) {
      formatAsTyped(input, event);
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
