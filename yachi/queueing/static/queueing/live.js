// A queue page kept live: the socket named by [data-queue-socket] is a doorbell; each
// event makes htmx fetch the page's fragment again ("queue-changed"), so what is shown
// is always what the server says. Without sockets the fragment still refreshes on its
// own timer (hx-trigger "every …").
(function () {
  "use strict";
  function start() {
    const holder = document.querySelector("[data-queue-socket]");
    if (!holder || !window.YachiRealtime || !window.htmx) {
      return;
    }
    window.YachiRealtime.connect(holder.dataset.queueSocket, {
      onEvent: function () { window.htmx.trigger(document.body, "queue-changed"); },
      onState: function (state) { holder.dataset.socket = state; },
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
