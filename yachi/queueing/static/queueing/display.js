// The waiting-room display (叫号屏): the clinic's board, live over its socket.
//
// Every event of the clinic's queue log refreshes the board (the server renders it);
// each call and recall is also announced: a chime (Web Audio, two notes), then the
// sentence in the board's language by the browser's speech synthesis, twice. Browsers
// let a page make sound only after a tap on it: the button in the corner asks for one
// (a kiosk browser started with --autoplay-policy=no-user-gesture-required needs none).
(function () {
  "use strict";

  var body = document.body;
  var clinic = body.dataset.clinic;
  var token = body.dataset.token;
  var board = document.getElementById("board");
  var banner = document.querySelector("[data-announce]");
  var gate = document.querySelector("[data-sound-gate]");
  var audio = null;
  var soundOn = false;
  var queue = [];
  var speaking = false;

  function refresh() {
    if (window.htmx) window.htmx.trigger(board, "refresh");
  }

  // --- sound -------------------------------------------------------------------------

  function enableSound() {
    var Context = window.AudioContext || window.webkitAudioContext;
    if (Context && !audio) audio = new Context();
    if (audio && audio.state === "suspended") audio.resume();
    if (window.speechSynthesis) {
      // A silent utterance inside the tap unlocks speech for later calls.
      var unlock = new SpeechSynthesisUtterance(" ");
      unlock.volume = 0;
      window.speechSynthesis.speak(unlock);
    }
    soundOn = true;
    gate.hidden = true;
  }
  gate.addEventListener("click", enableSound);
  body.addEventListener("click", function () { if (!soundOn) enableSound(); });

  function note(frequency, start, length) {
    var oscillator = audio.createOscillator();
    var gain = audio.createGain();
    oscillator.type = "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.0001, start);
    gain.gain.exponentialRampToValueAtTime(0.5, start + 0.02);
    gain.gain.exponentialRampToValueAtTime(0.0001, start + length);
    oscillator.connect(gain).connect(audio.destination);
    oscillator.start(start);
    oscillator.stop(start + length + 0.05);
  }

  function chime() {
    if (!audio || audio.state !== "running") return 0;
    var now = audio.currentTime + 0.05;
    note(880, now, 0.6);   // ding
    note(659, now + 0.45, 0.9);  // dong
    return 1500;
  }

  function voice(lang) {
    var voices = window.speechSynthesis.getVoices();
    var wanted = lang.toLowerCase().indexOf("zh") === 0 ? "zh" : "en";
    for (var i = 0; i < voices.length; i += 1) {
      if (voices[i].lang.toLowerCase().replace("_", "-").indexOf(wanted) === 0) return voices[i];
    }
    return null;
  }

  function say(text, times, done) {
    if (!soundOn || !window.speechSynthesis) { done(); return; }
    var lang = body.dataset.lang && body.dataset.lang.indexOf("zh") === 0 ? "zh-CN" : "en-US";
    var left = times;
    function once() {
      var utterance = new SpeechSynthesisUtterance(text);
      utterance.lang = lang;
      utterance.rate = 0.85;
      var chosen = voice(lang);
      if (chosen) utterance.voice = chosen;
      utterance.onend = utterance.onerror = function () {
        left -= 1;
        if (left > 0) setTimeout(once, 700); else done();
      };
      window.speechSynthesis.speak(utterance);
    }
    once();
  }

  // --- announcing ----------------------------------------------------------------------

  function roomWords(room) {
    if (!room) return "";
    // A bare number is a treatment room: 3 → 3 号诊室; a chair's own name stays as it is.
    return /^\d+$/.test(room) ? body.dataset.roomNumber.replace("{room}", room) : room;
  }

  function sentence(event, forSpeech) {
    var ticket = event.ticket || {};
    var patient = ticket.patient || "";
    // Spoken, a masked character is read as 某 rather than as a star.
    if (forSpeech) patient = patient.replace(/\*/g, "某");
    var template = event.room ? body.dataset.sayCall : body.dataset.sayCallNoRoom;
    return template
      .replace("{number}", ticket.number || "")
      .replace("{patient}", patient)
      .replace("{room}", roomWords(event.room));
  }

  function next() {
    if (speaking || !queue.length) return;
    speaking = true;
    var event = queue.shift();
    banner.textContent = sentence(event, false);
    banner.hidden = false;
    var wait = soundOn ? chime() : 0;
    setTimeout(function () {
      say(sentence(event, true), 2, function () {
        setTimeout(function () {
          banner.hidden = true;
          speaking = false;
          next();
        }, soundOn ? 1500 : 8000);
      });
    }, wait);
  }

  function announce(event) {
    // A call already old when it arrived (a screen resuming after a night) is shown,
    // not spoken.
    if (event.time && Date.now() - Date.parse(event.time) > 120000) return;
    queue.push(event);
    next();
  }

  // --- the socket ------------------------------------------------------------------------

  function setState(state) {
    document.querySelector("[data-live]").hidden = state !== "open";
    document.querySelector("[data-offline]").hidden = state === "open";
    if (state === "open") refresh();
  }

  var socket = window.YachiRealtime.connect("/ws/displays/" + clinic + "/", {
    token: token,
    onEvent: function (event) {
      refresh();
      if (event.type === "called" || event.type === "recalled") announce(event);
    },
    onMessage: function (message) {
      if (message.type === "display_revoked") {
        socket.close();
        document.querySelector("[data-revoked]").hidden = false;
      }
    },
    onState: setState,
  });

  board.addEventListener("htmx:afterSwap", function () {
    var latest = board.querySelector(".call");
    if (latest && queue.length + (speaking ? 1 : 0) > 0) latest.classList.add("fresh");
  });

  // --- the clock -------------------------------------------------------------------------

  var clock = document.querySelector("[data-clock]");
  function tick() {
    var now = new Date();
    clock.textContent =
      String(now.getHours()).padStart(2, "0") + ":" + String(now.getMinutes()).padStart(2, "0");
  }
  tick();
  setInterval(tick, 5000);
})();
