/*
 * Confirmation before an irreversible action (docs/ui.md): a form marked
 *   <form data-confirm="정부 4,200만 원·주관기관 5,400만 원이 약정됩니다."
 *         data-confirm-title="선정할까요?" data-confirm-action="선정" data-confirm-danger>
 * opens the KRDS modal of templates/includes/confirm_modal.html when submitted. A form with several
 * actions (the staff page's 선정 / 탈락 share one note) puts the same attributes on each button
 * instead; the pressed button's own data-confirm wins, a button without one submits at once. The
 * event stops here until confirmed, so htmx (hx-post forms) sends nothing before. The confirm button
 * submits the form (with the button that was pressed, so its name/value still reach the view);
 * cancel, the close button, the backdrop and Escape shut the modal and give focus back to that
 * button. Without JavaScript the form simply submits. No inline style: the CSP holds.
 *
 * A dialog may state an amount typed in the form (the payments panel):
 *   data-confirm-amount="#id_amount"   the field, read as people type money (static/js/money.js)
 *   data-confirm-of="30000000"         what the amount comes out of, for {rest} (optional)
 *   data-confirm-template="지급액 {amount}을 기록합니다. 남는 미지급 약정액: {rest}"
 *   data-confirm-over="지급액 {amount}이 남은 약정액 {of}보다 커서 …"  (optional: amount > of)
 * {amount}, {of} and {rest} are filled in won (exact); when the field holds no amount, or money.js
 * is not loaded, the plain data-confirm text is shown instead.
 */
(function () {
  "use strict";

  var modal = document.getElementById("confirm-modal");
  if (!modal) return;
  var title = document.getElementById("confirm-modal-title");
  var text = document.getElementById("confirm-modal-text");
  var ok = modal.querySelector("[data-confirm-ok]");
  var pending = null;  // {form, submitter}

  function show(form, submitter, source) {
    pending = {form: form, submitter: submitter};
    var danger = source.hasAttribute("data-confirm-danger");
    title.textContent = source.dataset.confirmTitle || title.dataset.default;
    text.textContent = message(source);
    ok.textContent = source.dataset.confirmAction || ok.dataset.default;
    ok.classList.toggle("danger", danger);
    ok.classList.toggle("primary", !danger);
    modal.hidden = false;
    modal.classList.add("shown");
    window.requestAnimationFrame(function () {
      modal.classList.add("in");
      // KRDS fades the modal in: a button still hidden cannot take focus, so try again briefly.
      var tries = 0;
      (function focusOk() {
        ok.focus();
        if (document.activeElement !== ok && tries++ < 15) window.setTimeout(focusOk, 50);
      })();
    });
  }

  function message(source) {
    var data = source.dataset;
    var money = window.smartFactoryMoney;
    var field = data.confirmAmount && document.querySelector(data.confirmAmount);
    if (!data.confirmTemplate || !field || !money) return data.confirm;
    var amount = money.parseWon(field.value);
    if (amount === null || isNaN(amount) || amount <= 0) return data.confirm;
    var of = data.confirmOf ? Number(data.confirmOf) : null;
    var template = data.confirmTemplate;
    if (of !== null && amount > of && data.confirmOver) template = data.confirmOver;
    return template
      .replace("{amount}", money.won(amount))
      .replace("{of}", of === null ? "" : money.won(of))
      .replace("{rest}", of === null ? "" : money.won(Math.max(of - amount, 0)));
  }

  function hide(restoreFocus) {
    modal.classList.remove("in", "shown");
    modal.hidden = true;
    var back = pending && (pending.submitter || pending.form.querySelector("[type=submit]"));
    if (restoreFocus && back) back.focus();
    if (restoreFocus) pending = null;
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form")) return;
    var submitter = event.submitter || null;
    var source = submitter && submitter.hasAttribute("data-confirm") ? submitter : form;
    if (!source.hasAttribute("data-confirm")) return;
    if (form.dataset.confirmed === "yes") return;  // confirmed: let it go
    event.preventDefault();
    event.stopPropagation();  // nor htmx's listener on the form
    show(form, submitter, source);
  }, true);

  ok.addEventListener("click", function () {
    if (!pending) return;
    var form = pending.form;
    var submitter = pending.submitter;
    hide(false);
    pending = null;
    form.dataset.confirmed = "yes";
    if (form.requestSubmit) form.requestSubmit(submitter || undefined);
    else form.submit();
    delete form.dataset.confirmed;  // the submit event has run: the next press asks again
  });

  modal.querySelectorAll("[data-confirm-cancel]").forEach(function (button) {
    button.addEventListener("click", function () { hide(true); });
  });

  document.addEventListener("keydown", function (event) {
    if (!modal.classList.contains("shown")) return;
    if (event.key === "Escape") {
      hide(true);
      return;
    }
    if (event.key === "Tab") {  // keep focus inside the dialog
      var items = Array.prototype.slice.call(modal.querySelectorAll("button"));
      var i = items.indexOf(document.activeElement);
      var next = event.shiftKey ? (i <= 0 ? items.length - 1 : i - 1) : (i + 1) % items.length;
      items[next].focus();
      event.preventDefault();
    }
  });
})();
