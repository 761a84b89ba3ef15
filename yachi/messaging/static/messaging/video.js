// A video consultation's room (ADR 0045): the camera, one RTCPeerConnection to the
// other party, and the platform's own signalling over /ws/video/<appointment>/.
//
// Signalling, all transient messages relayed by the server to the other party only:
//   ready {session}             "I am here" (sent on every (re)connect; the patient
//                               answers the doctor's with its own)
//   offer {session, to, sdp}    the doctor always offers, on the patient's ready
//   answer {session, to, sdp}
//   ice {session, to, candidate}
//   bye {session}               hung up
// Each page load is a session; messages for another session of the other party (an old
// tab, a previous connection) are dropped. The server logs joins and leaves as events.
(function () {
  "use strict";

  var root = document.querySelector("[data-video-room]");
  if (!root) return;

  var config = JSON.parse(root.dataset.config);
  var text = root.dataset;
  var stateLine = root.querySelector("[data-state-text]");
  var fallback = root.querySelector("[data-fallback]");
  var localVideo = root.querySelector("[data-local]");
  var remoteVideo = root.querySelector("[data-remote]");
  var muteButton = root.querySelector("[data-mute]");
  var cameraButton = root.querySelector("[data-camera]");
  var hangupButton = root.querySelector("[data-hangup]");

  var isDoctor = config.party === "doctor";
  var session = Math.random().toString(36).slice(2) + Date.now().toString(36);
  var peerSession = null; // the other party's session this connection is with
  var pc = null;
  var pending = []; // ICE candidates that came before the remote description
  var localStream = null;
  var socket = null;
  var over = false;

  function show(state, message) {
    root.dataset.state = state;
    stateLine.textContent = message;
  }

  function showFallback(message) {
    fallback.textContent = message;
    fallback.hidden = false;
  }

  function send(message) {
    if (socket && !over) socket.send(message);
  }

  function closePeer() {
    if (pc) {
      pc.onicecandidate = pc.ontrack = pc.oniceconnectionstatechange = null;
      pc.close();
    }
    pc = null;
    pending = [];
    remoteVideo.srcObject = null;
  }

  function newPeer(withSession) {
    closePeer();
    peerSession = withSession;
    pc = new RTCPeerConnection({ iceServers: config.ice_servers || [] });
    if (localStream) {
      localStream.getTracks().forEach(function (track) {
        pc.addTrack(track, localStream);
      });
    } else {
      // No camera here: still see and hear the other side.
      pc.addTransceiver("audio", { direction: "recvonly" });
      pc.addTransceiver("video", { direction: "recvonly" });
    }
    pc.onicecandidate = function (event) {
      if (event.candidate) {
        send({ type: "ice", session: session, to: peerSession, candidate: event.candidate.toJSON() });
      }
    };
    pc.ontrack = function (event) {
      var stream = event.streams && event.streams[0];
      if (!stream) {
        stream = remoteVideo.srcObject || new MediaStream();
        stream.addTrack(event.track);
      }
      if (remoteVideo.srcObject !== stream) remoteVideo.srcObject = stream;
      var playing = remoteVideo.play();
      if (playing && playing.catch) playing.catch(function () {});
    };
    pc.oniceconnectionstatechange = function () {
      var ice = pc.iceConnectionState;
      root.dataset.ice = ice;
      if (ice === "connected" || ice === "completed") show("connected", text.textConnected);
      else if (ice === "checking" || ice === "new") show("connecting", text.textConnecting);
      else if (ice === "disconnected") show("interrupted", text.textInterrupted);
      else if (ice === "failed") {
        show("failed", text.textFailed);
        // The doctor offers again with a fresh connection; the patient waits for it.
        if (isDoctor) offer(peerSession);
      }
    };
    return pc;
  }

  function flushCandidates() {
    var waiting = pending;
    pending = [];
    waiting.forEach(function (candidate) {
      pc.addIceCandidate(candidate).catch(function () {});
    });
  }

  function offer(toSession) {
    var peer = newPeer(toSession);
    show("connecting", text.textConnecting);
    peer
      .createOffer()
      .then(function (description) {
        return peer.setLocalDescription(description);
      })
      .then(function () {
        if (peer === pc) {
          send({ type: "offer", session: session, to: toSession, sdp: peer.localDescription.sdp });
        }
      })
      .catch(function () {
        show("failed", text.textFailed);
      });
  }

  function answer(message) {
    var peer = newPeer(message.session);
    show("connecting", text.textConnecting);
    peer
      .setRemoteDescription({ type: "offer", sdp: message.sdp })
      .then(function () {
        flushCandidates();
        return peer.createAnswer();
      })
      .then(function (description) {
        return peer.setLocalDescription(description);
      })
      .then(function () {
        if (peer === pc) {
          send({ type: "answer", session: session, to: message.session, sdp: peer.localDescription.sdp });
        }
      })
      .catch(function () {
        show("failed", text.textFailed);
      });
  }

  function onMessage(message) {
    if (over || !message || message.party === config.party) return;
    if (message.to && message.to !== session) return; // for another page of ours
    switch (message.type) {
      case "ready":
        if (isDoctor) {
          // The same page of the patient after a socket drop, with the call still up:
          // nothing to start again.
          var ice = pc && pc.iceConnectionState;
          var up = ice === "connected" || ice === "completed" || ice === "checking";
          if (!(up && message.session === peerSession)) offer(message.session);
        } else if (!pc || peerSession !== message.session) {
          send({ type: "ready", session: session });
        }
        break;
      case "offer":
        if (!isDoctor) answer(message);
        break;
      case "answer":
        if (isDoctor && pc && message.session === peerSession && pc.signalingState === "have-local-offer") {
          pc.setRemoteDescription({ type: "answer", sdp: message.sdp })
            .then(flushCandidates)
            .catch(function () {
              show("failed", text.textFailed);
            });
        }
        break;
      case "ice":
        if (!pc || message.session !== peerSession || !message.candidate) break;
        if (pc.remoteDescription) pc.addIceCandidate(message.candidate).catch(function () {});
        else pending.push(message.candidate);
        break;
      case "bye":
        if (message.session === peerSession) {
          closePeer();
          peerSession = null;
          show("waiting", text.textPeerLeft);
        }
        break;
      case "room_closed":
        end("closed", text.textClosed);
        break;
    }
  }

  // The doctor's page lists who joined and left as it happens (the room's log).
  var logBox = document.querySelector("[data-video-log]");

  function logged(event) {
    if (!logBox) return;
    var list = logBox.querySelector("[data-log-list]");
    if (list.querySelector('[data-seq="' + event.seq + '"]')) return;
    var item = document.createElement("li");
    item.dataset.seq = event.seq;
    var when = document.createElement("time");
    when.dateTime = event.at;
    when.textContent = new Date(event.at).toLocaleTimeString("en-GB", {
      timeZone: logBox.dataset.timezone || undefined,
      hour12: false,
    });
    item.appendChild(when);
    var party = event.party === "doctor" ? logBox.dataset.textDoctor : logBox.dataset.textPatient;
    var kind = event.type === "joined" ? logBox.dataset.textJoined : logBox.dataset.textLeft;
    item.appendChild(document.createTextNode(" " + party + " " + kind));
    list.appendChild(item);
    logBox.querySelector("[data-log-empty]").hidden = true;
  }

  function onEvent(event) {
    logged(event);
    // The room's log: who joined and left. A leave of the other party with no "bye"
    // (a lost connection) ends this connection too; they are offered again on return.
    if (event.type === "left" && event.party !== config.party && pc && !over) {
      var ice = pc.iceConnectionState;
      if (ice !== "connected" && ice !== "completed") {
        closePeer();
        show("waiting", text.textPeerLeft);
      }
    }
  }

  function onState(state, detail) {
    if (over) return;
    if (state === "open") {
      if (!pc) show("waiting", text.textWaiting);
      send({ type: "ready", session: session });
    } else if (state === "refused") {
      end("refused", text.textRefused);
    } else if (!pc || pc.iceConnectionState !== "connected") {
      show("offline", text.textOffline);
    }
  }

  function end(state, message) {
    if (over) return;
    send({ type: "bye", session: session });
    over = true;
    closePeer();
    if (socket) socket.close();
    if (localStream) {
      localStream.getTracks().forEach(function (track) {
        track.stop();
      });
    }
    localVideo.srcObject = null;
    muteButton.disabled = cameraButton.disabled = hangupButton.disabled = true;
    show(state, message);
  }

  function connect() {
    socket = window.YachiRealtime.connect(config.socket_path, {
      onEvent: onEvent,
      onMessage: onMessage,
      onState: onState,
    });
  }

  muteButton.addEventListener("click", function () {
    if (!localStream) return;
    var muted = muteButton.getAttribute("aria-pressed") !== "true";
    localStream.getAudioTracks().forEach(function (track) {
      track.enabled = !muted;
    });
    muteButton.setAttribute("aria-pressed", String(muted));
    muteButton.textContent = muted ? text.textUnmute : text.textMute;
  });

  cameraButton.addEventListener("click", function () {
    if (!localStream) return;
    var off = cameraButton.getAttribute("aria-pressed") !== "true";
    localStream.getVideoTracks().forEach(function (track) {
      track.enabled = !off;
    });
    cameraButton.setAttribute("aria-pressed", String(off));
    cameraButton.textContent = off ? text.textCameraOn : text.textCameraOff;
  });

  hangupButton.addEventListener("click", function () {
    end("hung_up", text.textHungUp);
  });

  window.addEventListener("pagehide", function () {
    if (!over) send({ type: "bye", session: session });
  });

  if (!window.RTCPeerConnection || !window.YachiRealtime) {
    show("unsupported", text.textUnsupported);
    showFallback(text.textUnsupported);
    hangupButton.disabled = true;
    return;
  }

  var media = navigator.mediaDevices && navigator.mediaDevices.getUserMedia
    ? navigator.mediaDevices.getUserMedia({
        // Enough to see teeth on a phone's screen, light on a phone's uplink.
        video: { width: { ideal: 640 }, height: { ideal: 480 }, frameRate: { ideal: 24 } },
        audio: true,
      })
    : Promise.reject(new Error("no mediaDevices"));
  media
    .catch(function () {
      // No camera, or refused: try the microphone alone before giving up on sending.
      return navigator.mediaDevices && navigator.mediaDevices.getUserMedia
        ? navigator.mediaDevices.getUserMedia({ audio: true }).then(function (stream) {
            showFallback(text.textNoCamera);
            return stream;
          })
        : Promise.reject(new Error("no mediaDevices"));
    })
    .then(
      function (stream) {
        localStream = stream;
        localVideo.srcObject = stream;
        root.dataset.camera = stream.getVideoTracks().length ? "on" : "none";
        muteButton.disabled = !stream.getAudioTracks().length;
        cameraButton.disabled = !stream.getVideoTracks().length;
      },
      function () {
        root.dataset.camera = "none";
        localVideo.hidden = true;
        showFallback(text.textNoCamera);
      }
    )
    .then(connect);
})();
