/* Sockets that follow a log (ADR 0042): each event once, in order, nothing missed after a drop.
 *
 *   const live = YachiRealtime.connect("ws/queues/<id>/", {
 *     token,                         // optional: an API or display token; else the page's session
 *     onEvent(event) {},             // a logged event: called once per seq, in order
 *     onMessage(message) {},         // a transient message (typing, signalling)
 *     onState(state) {},             // "open" | "closed"
 *   });
 *   live.send({type: "typing"}); live.close();
 */
(function () {
  "use strict";

  function base() {
    const meta = document.querySelector('meta[name="yachi-realtime"]');
    const configured = meta && meta.content ? meta.content.replace(/\/+$/, "") : "";
    if (configured) return configured;
    const scheme = window.location.protocol === "https:" ? "wss:" : "ws:";
    return scheme + "//" + window.location.host;
  }

  function connect(path, options) {
    const opts = options || {};
    let lastSeq = typeof opts.after === "number" ? opts.after : null;
    let socket = null;
    let closed = false;
    let delay = 500;
    let timer = null;
    const queued = [];

    function url() {
      const clean = String(path).replace(/^\/+/, "");
      const query = opts.token ? "?token=" + encodeURIComponent(opts.token) : "";
      return base() + "/" + clean + query;
    }

    function state(value) {
      if (opts.onState) opts.onState(value);
    }

    function open() {
      socket = new WebSocket(url());
      socket.addEventListener("open", function () {
        delay = 500;
        if (lastSeq !== null) socket.send(JSON.stringify({type: "resume", after: lastSeq}));
        while (queued.length) socket.send(queued.shift());
        state("open");
      });
      socket.addEventListener("message", function (e) {
        let data;
        try { data = JSON.parse(e.data); } catch (err) { return; }
        if (typeof data.seq === "number") {
          if (lastSeq !== null && data.seq <= lastSeq) return;
          lastSeq = data.seq;
          if (opts.onEvent) opts.onEvent(data);
        } else if (opts.onMessage) {
          opts.onMessage(data);
        }
      });
      socket.addEventListener("close", function (e) {
        state("closed");
        // Refused (4403) or no such socket (4404): trying again would be refused again.
        if (closed || e.code === 4403 || e.code === 4404) {
          if (opts.onRefused && (e.code === 4403 || e.code === 4404)) opts.onRefused(e.code);
          return;
        }
        timer = window.setTimeout(open, delay);
        delay = Math.min(delay * 2, 15000);
      });
    }

    open();
    return {
      send: function (obj) {
        const text = JSON.stringify(obj);
        if (socket && socket.readyState === WebSocket.OPEN) socket.send(text);
        else queued.push(text);
      },
      close: function () {
        closed = true;
        if (timer) window.clearTimeout(timer);
        if (socket) socket.close();
      },
      lastSeq: function () { return lastSeq; },
    };
  }

  window.YachiRealtime = {connect: connect};
})();
