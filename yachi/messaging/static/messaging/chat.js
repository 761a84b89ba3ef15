/* A conversation that updates live: new messages arrive over the WebSocket (resumed after
   the last sequence number shown), "typing" and "read" come as transient messages, sending
   goes through the page's form (and works without this script). */
(function () {
  "use strict";
  var root = document.getElementById("chat");
  if (!root) return;
  var log = document.getElementById("chat-log");
  var typing = document.getElementById("chat-typing");
  var offline = document.getElementById("chat-offline");
  var form = document.getElementById("chat-compose");
  var me = root.dataset.me;
  var readByOther = parseInt(root.dataset.readSeq || "0", 10);
  var shown = {};
  var lastSeq = 0;
  var socket = null;
  var typingTimer = null;
  var lastTypingSent = 0;
  var csrf = (form && form.querySelector("input[name=csrfmiddlewaretoken]") || {}).value;

  function seqs() {
    log.querySelectorAll("[data-seq]").forEach(function (node) {
      var seq = parseInt(node.dataset.seq, 10);
      shown[seq] = true;
      if (seq > lastSeq) lastSeq = seq;
    });
  }

  function receipts() {
    log.querySelectorAll("[data-receipt-for]").forEach(function (node) {
      var read = parseInt(node.dataset.receiptFor, 10) <= readByOther;
      node.textContent = read ? root.dataset.textRead : root.dataset.textSent;
      node.classList.toggle("read", read);
    });
  }

  function el(tag, cls, text) {
    var node = document.createElement(tag);
    if (cls) node.className = cls;
    if (text !== undefined && text !== null) node.textContent = text;
    return node;
  }

  function render(m) {
    if (m.kind === "event") {
      var line = el("li", "chat-event", m.event_text);
      line.dataset.seq = m.seq;
      return line;
    }
    var mine = m.side === me;
    var row = el("li", "chat-row " + (mine ? "mine" : "theirs"));
    row.dataset.seq = m.seq;
    row.dataset.side = m.side;
    var bubble = el("div", "bubble");
    if (m.sender && (!mine || me === "staff")) bubble.appendChild(el("div", "chat-sender", m.sender));
    if (m.kind === "text") {
      bubble.appendChild(el("p", "chat-text", m.text));
    } else if (m.kind === "image" && m.image) {
      var link = el("a");
      link.href = m.image.url;
      link.target = "_blank";
      link.rel = "noopener";
      var img = el("img", "chat-image");
      img.src = m.image.url;
      img.alt = root.dataset.textPicture;
      if (m.image.width) img.width = m.image.width;
      if (m.image.height) img.height = m.image.height;
      link.appendChild(img);
      bubble.appendChild(link);
    } else if (m.kind === "appointment" && m.appointment) {
      var card = el("div", "chat-card");
      card.appendChild(el("div", "chat-card-title", root.dataset.textAppointment + " · " + m.appointment.status_label));
      card.appendChild(el("div", null, m.appointment.service + " · " + m.appointment.doctor));
      card.appendChild(el("div", null, m.appointment.patient + " · " + m.appointment.start_text));
      bubble.appendChild(card);
    }
    row.appendChild(bubble);
    var meta = el("div", "chat-meta", m.time_text);
    if (mine) {
      meta.appendChild(document.createTextNode(" "));
      var receipt = el("span", "chat-receipt");
      receipt.dataset.receiptFor = m.seq;
      meta.appendChild(receipt);
    }
    row.appendChild(meta);
    return row;
  }

  function scrollDown() {
    var last = log.lastElementChild;
    if (last) last.scrollIntoView({ block: "end" });
    // In the app the page itself scrolls: down to the composer and what is beside it.
    if (document.body.classList.contains("app")) window.scrollTo(0, document.body.scrollHeight);
  }

  function add(m) {
    if (shown[m.seq]) return;
    shown[m.seq] = true;
    if (m.seq > lastSeq) lastSeq = m.seq;
    log.appendChild(render(m));
    if (m.side !== me && m.side !== "system") {
      typing.hidden = true;
      markRead(m.seq);
    }
    receipts();
    scrollDown();
  }

  function post(url, body) {
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    });
  }

  function markRead(seq) {
    if (document.visibilityState === "hidden") return;
    var body = new FormData();
    body.append("seq", seq);
    post(root.dataset.read, body);
  }

  function sendForm(target, clear) {
    target.addEventListener("submit", function (event) {
      if (!window.fetch) return;
      event.preventDefault();
      var button = target.querySelector("button[type=submit]");
      if (button) button.disabled = true;
      post(target.action, new FormData(target))
        .then(function (response) {
          return response.json().then(function (data) {
            if (!response.ok) throw new Error(data.message || response.statusText);
            add(data);
            clear();
          });
        })
        .catch(function (error) {
          window.alert(error.message);
        })
        .finally(function () {
          if (button) button.disabled = false;
        });
    });
  }

  seqs();
  receipts();
  scrollDown();

  if (form) {
    var text = form.querySelector("textarea");
    sendForm(form, function () { text.value = ""; text.focus(); });
    text.addEventListener("keydown", function (event) {
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
        event.preventDefault();
        form.requestSubmit();
      }
    });
    text.addEventListener("input", function () {
      var now = Date.now();
      if (socket && now - lastTypingSent > 3000) {
        lastTypingSent = now;
        socket.send({ type: "typing", typing: true });
      }
    });
    document.querySelectorAll("[data-quick-reply]").forEach(function (button) {
      button.addEventListener("click", function () {
        text.value = button.dataset.quickReply;
        text.focus();
      });
    });
  }
  document.querySelectorAll("[data-chat-upload], [data-chat-card]").forEach(function (extra) {
    sendForm(extra, function () { extra.reset(); var details = extra.closest("details"); if (details) details.open = false; });
  });

  if (window.YachiRealtime) {
    socket = window.YachiRealtime.connect(root.dataset.socket, {
      after: lastSeq,
      onEvent: function (event) {
        if (event.type === "message" && event.message) add(event.message);
      },
      onMessage: function (message) {
        if (message.type === "read" && message.side !== me) {
          if (message.upto > readByOther) readByOther = message.upto;
          receipts();
        } else if (message.type === "typing" && message.side !== me) {
          typing.textContent = root.dataset.textTyping;
          typing.hidden = !message.typing;
          clearTimeout(typingTimer);
          typingTimer = setTimeout(function () { typing.hidden = true; }, 5000);
        }
      },
      onState: function (state) {
        offline.textContent = root.dataset.textOffline;
        offline.hidden = state === "open";
      },
    });
  }
})();
