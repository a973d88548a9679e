/*
 * Confirmation before an irreversible action (docs/ui.md): a form marked
 *   <form data-confirm="정부 4,200만 원·주관기관 5,400만 원이 약정됩니다."
 *         data-confirm-title="선정할까요?" data-confirm-action="선정" data-confirm-danger>
 * opens the KRDS modal of templates/includes/confirm_modal.html when submitted. The confirm button
 * submits the form (with the button that was pressed, so its name/value still reach the view);
 * cancel, the close button, the backdrop and Escape shut the modal and give focus back to that
 * button. Without JavaScript the form simply submits. No inline style: the CSP holds.
 */
(function () {
  "use strict";

  var modal = document.getElementById("confirm-modal");
  if (!modal) return;
  var title = document.getElementById("confirm-modal-title");
  var text = document.getElementById("confirm-modal-text");
  var ok = modal.querySelector("[data-confirm-ok]");
  var pending = null;  // {form, submitter}

  function show(form, submitter) {
    pending = {form: form, submitter: submitter};
    title.textContent = form.dataset.confirmTitle || title.dataset.default;
    text.textContent = form.dataset.confirm;
    ok.textContent = form.dataset.confirmAction || ok.dataset.default;
    ok.classList.toggle("danger", form.hasAttribute("data-confirm-danger"));
    ok.classList.toggle("primary", !form.hasAttribute("data-confirm-danger"));
    modal.hidden = false;
    modal.classList.add("shown");
    window.requestAnimationFrame(function () {
      modal.classList.add("in");
      ok.focus();
    });
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
    if (!form.matches || !form.matches("form[data-confirm]")) return;
    if (form.dataset.confirmed === "yes") return;  // confirmed: let it go
    event.preventDefault();
    show(form, event.submitter || null);
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
