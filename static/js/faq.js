/*
 * The FAQ rows on the program form (program/templates/program/staff/_announcement.html).
 *
 * Without script the page is a Django formset with one blank row (save, and another appears) and a
 * delete box per row. With it, 질문 추가 adds a blank row from the page's <template> in place.
 */
(function () {
  "use strict";

  function setUp(builder) {
    var body = builder.querySelector("[data-faq-rows]");
    var template = builder.querySelector("template[data-faq-template]");
    var add = builder.querySelector("[data-faq-add]");
    var total = builder.querySelector("input[name$='-TOTAL_FORMS']");
    var max = builder.querySelector("input[name$='-MAX_NUM_FORMS']");
    if (!body || !template || !add || !total) { return; }

    function full() {
      return !!max && parseInt(total.value, 10) >= parseInt(max.value, 10);
    }

    add.hidden = false;
    add.disabled = full();
    add.addEventListener("click", function () {
      if (full()) { return; }
      var index = parseInt(total.value, 10);
      var html = template.innerHTML.replace(/__prefix__/g, String(index));
      body.insertAdjacentHTML("beforeend", html);
      total.value = String(index + 1);
      add.disabled = full();
      var rows = body.querySelectorAll("[data-faq-row]");
      var question = rows[rows.length - 1].querySelector("input[name$='-question']");
      if (question) { question.focus(); }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    Array.prototype.forEach.call(document.querySelectorAll("[data-faq-builder]"), setUp);
  });
})();
