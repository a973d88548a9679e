/* Money in the browser, one rule with config/money.py (the shared cases: tests/test_money.py):
 *   smartFactoryMoney.won(96466820)        -> "96,466,820원" (English "₩96,466,820"), exact
 *   smartFactoryMoney.parseWon("1,200만")   -> 12000000; null when empty, NaN when not an amount
 * Loaded with defer by the pages that need it (the payments panel); static/js/confirm.js reads it
 * when a dialog states a typed amount. No inline script: the CSP holds. */
(function () {
  "use strict";

  var NUMBER = "(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)";
  var AMOUNT = new RegExp("^(?:(" + NUMBER + ") *억)? *(?:(" + NUMBER + ") *만)? *(" + NUMBER + ")? *(원)?$");
  var EOK = 100000000, MAN = 10000, MAX_AMOUNT = 999999999999999999;

  // Mirrors parse_won: ASCII digits with thousands separators, spaces, 억, 만 and a final 원.
  function parseWon(value) {
    var text = (value || "").replace(/\u00a0/g, " ").trim();
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

  // Mirrors won: `96,466,820원`, in English `₩96,466,820`.
  function won(n) {
    var digits = Math.abs(n).toLocaleString("en-US");
    var sign = n < 0 ? "-" : "";
    var korean = (document.documentElement.lang || "ko").slice(0, 2) === "ko";
    return korean ? sign + digits + "원" : sign + "₩" + digits;
  }

  window.smartFactoryMoney = {parseWon: parseWon, won: won};
})();
