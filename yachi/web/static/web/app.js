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

// <form data-busy="…">: a submission the server takes seconds over (a scan converted on
// upload) says so while the next page loads: the message beside an indeterminate progress
// bar, and its submit buttons disabled so that it is not sent twice. A page the browser
// brings back from its history gets its buttons back.
document.addEventListener("submit", (event) => {
  const form = event.target;
  if (event.defaultPrevented || !form.dataset.busy) {
    return;
  }
  let status = form.querySelector("[data-busy-status]");
  if (!status) {
    status = document.createElement("p");
    status.dataset.busyStatus = "";
    status.setAttribute("role", "status");
    form.append(status);
  }
  const bar = document.createElement("progress");
  bar.setAttribute("aria-label", form.dataset.busy);
  status.replaceChildren(bar, " ", form.dataset.busy);
  // Once the browser has taken the submitter's name and value into the request.
  setTimeout(() => {
    form.querySelectorAll("[type=submit]").forEach((button) => {
      button.disabled = true;
    });
  });
});

window.addEventListener("pageshow", (event) => {
  if (!event.persisted) {
    return;
  }
  document.querySelectorAll("form[data-busy] [type=submit]").forEach((button) => {
    button.disabled = false;
  });
  document.querySelectorAll("[data-busy-status]").forEach((status) => status.replaceChildren());
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

// <input data-device-signal="install_id|screen|timezone|platform">: what the login
// page tells of the device, against many accounts on one device. The installation id is
// a random id this browser keeps, like an app's.
function deviceSignal(name) {
  if (name === "install_id") {
    let id = localStorage.getItem("yachi.install_id");
    if (!id) {
      id = crypto.randomUUID ? crypto.randomUUID() : String(Math.random()).slice(2);
      localStorage.setItem("yachi.install_id", id);
    }
    return id;
  }
  if (name === "screen") {
    return `${screen.width}x${screen.height}@${window.devicePixelRatio || 1}`;
  }
  if (name === "timezone") {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  }
  if (name === "platform") {
    return navigator.platform || "";
  }
  return "";
}

document.addEventListener("DOMContentLoaded", () => {
  for (const field of document.querySelectorAll("[data-device-signal]")) {
    try {
      field.value = deviceSignal(field.dataset.deviceSignal).slice(0, 64);
    } catch {
      field.value = "";
    }
  }
});

// <button data-share="text" data-share-url="…" data-copied="…">: the phone's share sheet
// (WeChat among its targets) where there is one, the clipboard otherwise.
document.addEventListener("click", async (event) => {
  const button = event.target.closest("[data-share-url]");
  if (!button) {
    return;
  }
  event.preventDefault();
  const url = button.dataset.shareUrl;
  const status = document.getElementById(button.dataset.status);
  if (navigator.share) {
    try {
      await navigator.share({ title: button.dataset.share, text: button.dataset.share, url });
      return;
    } catch {
      // dismissed: fall through to copying
    }
  }
  try {
    await navigator.clipboard.writeText(url);
    if (status) {
      status.textContent = button.dataset.copied;
    }
  } catch {
    if (status) {
      status.textContent = url;
    }
  }
});
