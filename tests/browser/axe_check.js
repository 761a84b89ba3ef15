// Appended to axe-core's own source and run in every page before the page's scripts
// (an init script, outside the page's Content-Security-Policy). Each document is
// checked once it has loaded, and again after each htmx swap; the violations go to the
// test through window.__yachiAxeReport. A form submission or a link followed while a
// check runs waits for it, so that no page is left unchecked.
(() => {
  // Django's admin and the API docs are not ours to restyle.
  const notOurs = ["/admin/", "/api/"].some((path) => location.pathname.startsWith(path));
  if (window.top !== window || typeof axe === "undefined" || notOurs) {
    return;
  }
  const options = {
    runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"] },
    resultTypes: ["violations"],
  };
  let pending = null;
  const report = (reason, violations) => window.__yachiAxeReport(
    location.pathname + location.search,
    reason,
    violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => `${n.target.join(" ")}  ${n.html.slice(0, 160)}`),
    })),
  );
  const check = (reason) => {
    const run = (pending || Promise.resolve())
      .then(() => axe.run(document, options))
      .then((result) => report(reason, result.violations))
      .catch((error) => report(reason, [{ id: "axe-error", impact: "error", help: String(error), nodes: [] }]));
    pending = run;
    run.then(() => { if (pending === run) { pending = null; } });
    return run;
  };
  window.__yachiAxeIdle = () => pending || Promise.resolve();
  // A test checks a state no load or swap shows (an open dialog) with __yachiAxeCheck.
  window.__yachiAxeCheck = (reason) => check(reason);
  window.addEventListener("load", () => check("load"));
  document.addEventListener("htmx:afterSettle", () => check("htmx"));

  document.addEventListener("submit", (event) => {
    if (!pending) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    const form = event.target;
    const submitter = event.submitter;
    pending.then(() => form.requestSubmit(submitter || undefined));
  }, true);
  document.addEventListener("click", (event) => {
    const link = event.target.closest && event.target.closest("a[href]");
    if (!pending || !link || event.defaultPrevented) {
      return;
    }
    event.preventDefault();
    event.stopImmediatePropagation();
    pending.then(() => link.click());
  }, true);
  const submit = HTMLFormElement.prototype.submit;
  HTMLFormElement.prototype.submit = function () {
    if (pending) {
      pending.then(() => submit.call(this));
    } else {
      submit.call(this);
    }
  };
})();
