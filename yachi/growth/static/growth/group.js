// The group page's "Copy" button: the share link to the clipboard (or selected to copy by hand).
document.addEventListener("click", (event) => {
  const button = event.target.closest("[data-copy]");
  if (!button) return;
  const field = document.querySelector(button.dataset.copy);
  if (!field) return;
  field.select();
  const done = () => { button.textContent = button.dataset.copied; };
  if (navigator.clipboard && window.isSecureContext) {
    navigator.clipboard.writeText(field.value).then(done, () => {});
  } else {
    try { document.execCommand("copy"); done(); } catch (e) { /* selected: copy by hand */ }
  }
});
