// Small behaviours for the patient app and the console, declared in the templates with
// data-* attributes. The Content-Security-Policy allows no inline script, so no
// onclick="…" and no <script> in a page: everything is here. Listeners sit on the
// document, so content that htmx swaps in later behaves the same.

// <form data-confirm="…"> or <button data-confirm="…">: ask before submitting, in a
// dialog of the page (the base templates' <template id="confirm-dialog">, translated
// there): modal, "go back" has the focus, Escape closes it, and the focus returns to
// the button that asked. Saying yes submits the form as the button would have.
let confirmedForm = null;

function ask(message, returnTo) {
  const template = document.getElementById("confirm-dialog");
  const dialog = template.content.firstElementChild.cloneNode(true);
  dialog.querySelector("[data-message]").textContent = message;
  document.body.append(dialog);
  return new Promise((resolve) => {
    dialog.addEventListener("close", () => {
      resolve(dialog.returnValue === "yes");
      dialog.remove();
      returnTo?.focus();
    });
    dialog.showModal();
    dialog.querySelector("button[value=no]").focus();
  });
}

document.addEventListener("submit", (event) => {
  const form = event.target;
  const submitter = event.submitter;
  const message = submitter?.dataset.confirm || form.dataset.confirm;
  if (!message) {
    return;
  }
  if (confirmedForm === form) {
    confirmedForm = null;
    return;
  }
  event.preventDefault();
  ask(message, submitter || form.querySelector("[type=submit]")).then((yes) => {
    if (yes) {
      confirmedForm = form;
      form.requestSubmit(submitter || undefined);
    }
  });
});

// <select data-autosubmit>: choosing an option submits its form.
document.addEventListener("change", (event) => {
  const field = event.target;
  if (field.matches("select[data-autosubmit]") && field.form) {
    field.form.submit();
  }
});

// <button data-clear="panel">: empty the element with that id (closes the side panel).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-clear]");
  if (button) {
    document.getElementById(button.dataset.clear)?.replaceChildren();
  }
});

// <button data-geolocate data-latitude="id" data-longitude="id" data-status="id">:
// fill the two fields with where the phone is (the emergency form).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-geolocate]");
  if (!button || !navigator.geolocation) {
    return;
  }
  event.preventDefault();
  const status = document.getElementById(button.dataset.status);
  status.textContent = button.dataset.waiting;
  navigator.geolocation.getCurrentPosition(
    (position) => {
      document.getElementById(button.dataset.latitude).value = position.coords.latitude.toFixed(6);
      document.getElementById(button.dataset.longitude).value = position.coords.longitude.toFixed(6);
      status.textContent = button.dataset.found;
    },
    () => { status.textContent = button.dataset.failed; },
    { enableHighAccuracy: true, timeout: 10000 },
  );
});

// <button data-print>: print the page (the receipt).
document.addEventListener("click", (event) => {
  if (event.target.closest("[data-print]")) {
    window.print();
  }
});
