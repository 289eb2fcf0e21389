/* The scanner page: camera (BarcodeDetector, else the vendored jsQR), keyboard scanners and
   typed codes, search by name; each scan is posted once with a nonce and retried with the
   same nonce when the network fails, so a retry is never told "already checked in". */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) return;
  var cfg = JSON.parse(root.getAttribute("data-config"));
  var T = cfg.text;
  var csrf = (document.querySelector('meta[name="csrf-token"]') || {}).content || "";
  var video = document.getElementById("video");
  var cameraStatus = document.getElementById("camera-status");
  var checkpoint = document.getElementById("checkpoint");
  var overlay = document.getElementById("result");
  var log = document.getElementById("log");
  var busy = false;           // a scan is being sent: ignore the camera meanwhile
  var lastCode = "", lastAt = 0;  // the badge still in front of the camera is not scanned twice
  var hideTimer = null;
  var stream = null;
  var pending = null;         // a scan that could not be sent, kept with its nonce for "try again"

  // --- the checkpoint, remembered per forum on this device ---------------------------------
  var storeKey = "forum-checkpoint-" + cfg.slug;
  if (checkpoint) {
    try {
      var saved = localStorage.getItem(storeKey);
      if (saved && checkpoint.querySelector('option[value="' + saved.replace(/"/g, "") + '"]')) checkpoint.value = saved;
    } catch (e) { /* private mode */ }
    checkpoint.addEventListener("change", function () {
      try { localStorage.setItem(storeKey, checkpoint.value); } catch (e) { /* ignore */ }
    });
  }

  function newNonce() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // --- sound: a short WebAudio beep, no files ----------------------------------------------
  var audio = null;
  function beep(kind) {
    try {
      audio = audio || new (window.AudioContext || window.webkitAudioContext)();
      if (audio.state === "suspended") audio.resume();
      var tones = kind === "ok" ? [[880, 0, 0.12], [1320, 0.14, 0.16]]
        : kind === "warn" ? [[520, 0, 0.18], [520, 0.25, 0.18]] : [[180, 0, 0.5]];
      tones.forEach(function (t) {
        var osc = audio.createOscillator(), gain = audio.createGain();
        osc.type = kind === "bad" ? "sawtooth" : "sine";
        osc.frequency.value = t[0];
        gain.gain.value = 0.25;
        osc.connect(gain); gain.connect(audio.destination);
        var start = audio.currentTime + t[1];
        osc.start(start); osc.stop(start + t[2]);
      });
    } catch (e) { /* no sound: the colour still tells */ }
    if (navigator.vibrate) navigator.vibrate(kind === "ok" ? 80 : [60, 60, 200]);
  }

  // --- the result, filling the screen ------------------------------------------------------
  function kindOf(status) {
    if (status === "ok") return "ok";
    if (status === "already_checked_in") return "warn";
    return "bad";
  }

  function setText(selector, text) {
    var el = overlay.querySelector(selector);
    el.textContent = text || "";
    el.hidden = !text;
  }

  function show(answer) {
    var kind = answer.error ? "bad" : kindOf(answer.status);
    overlay.className = "result result-" + kind;
    overlay.setAttribute("data-status", answer.error ? "error" : answer.status);
    var title = answer.error ? T.error : (answer.reason === "reentry" ? T.reentry : T[answer.status]);
    var person = answer.registration || {};
    setText(".result-title", title);
    setText(".result-name", person.name);
    setText(".result-org", person.organization);
    setText(".result-category", person.category_label);
    setText(".result-message", answer.error ? answer.error : answer.message);
    setText(".result-hint", T.tapToContinue);
    var retry = overlay.querySelector(".result-retry");
    retry.hidden = !answer.retry;
    retry.textContent = T.tryAgain;
    overlay.hidden = false;
    overlay.focus();
    beep(kind);
    addToLog(kind, title, person.name || answer.scanned || "");
    clearTimeout(hideTimer);
    if (!answer.retry) hideTimer = setTimeout(hide, kind === "ok" ? 2500 : 6000);
  }

  function hide() {
    clearTimeout(hideTimer);
    overlay.hidden = true;
    busy = false;
    var code = document.getElementById("code");
    if (code && !isTouch()) code.focus();
  }

  overlay.addEventListener("click", function (event) {
    if (event.target.classList.contains("result-retry") && pending) {
      var again = pending;
      hide();
      send(again);
      return;
    }
    pending = null;
    hide();
  });
  document.addEventListener("keydown", function (event) {
    if (!overlay.hidden && (event.key === "Escape" || event.key === " ")) { pending = null; hide(); }
  });

  function addToLog(kind, title, name) {
    var li = document.createElement("li");
    li.className = "log-" + kind;
    var time = new Date().toLocaleTimeString([], {hour: "2-digit", minute: "2-digit"});
    li.textContent = time + " · " + title + (name ? " · " + name : "");
    log.insertBefore(li, log.firstChild);
    while (log.children.length > 8) log.removeChild(log.lastChild);
  }

  function status(text) { cameraStatus.textContent = text; }

  // --- sending a scan: once, retried with the same nonce --------------------------------------
  function sleep(ms) { return new Promise(function (resolve) { setTimeout(resolve, ms); }); }

  function post(body) {
    var controller = window.AbortController ? new AbortController() : null;
    var timer = controller ? setTimeout(function () { controller.abort(); }, 8000) : null;
    return fetch(cfg.scanUrl, {
      method: "POST", credentials: "same-origin", redirect: "manual",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRFToken": csrf},
      body: JSON.stringify(body), signal: controller ? controller.signal : undefined,
    }).finally(function () { if (timer) clearTimeout(timer); });
  }

  async function send(scan) {
    busy = true;
    status(T.checking);
    for (var attempt = 0; attempt < 4; attempt++) {
      var response;
      try {
        response = await post(scan);
      } catch (e) {
        status(T.retrying);
        await sleep(600 * Math.pow(2, attempt));
        continue;
      }
      var type = response.headers.get("Content-Type") || "";
      if (response.type === "opaqueredirect" || response.status === 401 || !type.includes("json")) {
        if (response.status >= 500) { status(T.retrying); await sleep(600 * Math.pow(2, attempt)); continue; }
        pending = null;
        show({error: T.login});
        return;
      }
      var answer = await response.json();
      if (response.status >= 500) { status(T.retrying); await sleep(600 * Math.pow(2, attempt)); continue; }
      pending = null;
      status(stream ? T.cameraOn : T.cameraOff);
      if (!response.ok) { show({error: (answer.error || {}).message || T.error}); return; }
      show(answer);
      return;
    }
    pending = scan;  // the same nonce when the person presses "try again"
    status(T.offline);
    show({error: T.offline, retry: true});
  }

  function submit(fields) {
    if (!checkpoint) { show({error: T.noCheckpoint}); return; }
    var scan = Object.assign({checkpoint: checkpoint.value, nonce: newNonce()}, fields);
    send(scan);
  }

  // --- typing a code, or a keyboard-like USB/Bluetooth scanner --------------------------------
  var codeInput = document.getElementById("code");
  document.getElementById("code-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = codeInput.value.trim();
    if (!value) return;
    codeInput.value = "";
    submit({secret: value, method: "keyboard"});
  });

  // A scanner "types" fast and ends with Enter; catch it when no field has the focus.
  var typed = "", typedAt = 0;
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (!overlay.hidden || (target && (target.tagName === "INPUT" || target.tagName === "SELECT" ||
        target.tagName === "TEXTAREA"))) return;
    var now = Date.now();
    if (now - typedAt > 300) typed = "";
    typedAt = now;
    if (event.key === "Enter") {
      if (typed.length >= 6) { event.preventDefault(); submit({secret: typed, method: "keyboard"}); }
      typed = "";
    } else if (event.key && event.key.length === 1) {
      typed += event.key;
    }
  });

  function isTouch() { return window.matchMedia && window.matchMedia("(pointer: coarse)").matches; }
  if (!isTouch()) codeInput.focus();

  // --- search by name, phone or code --------------------------------------------------------
  var searchInput = document.getElementById("search");
  var results = document.getElementById("results");
  var searchTimer = null, searchSeq = 0;
  function renderResults(items) {
    results.innerHTML = "";
    if (!items.length) {
      var none = document.createElement("li");
      none.textContent = T.noResults;
      results.appendChild(none);
      return;
    }
    items.forEach(function (item) {
      var li = document.createElement("li");
      var text = document.createElement("span");
      text.className = "result-person";
      var strong = document.createElement("strong");
      strong.textContent = item.name;
      text.appendChild(strong);
      text.appendChild(document.createTextNode(
        [item.organization, item.category_label, item.code].filter(Boolean).map(function (s) { return " · " + s; }).join("")));
      if (item.status !== "confirmed") {
        var st = document.createElement("em");
        st.textContent = " (" + item.status_label + ")";
        text.appendChild(st);
      }
      var button = document.createElement("button");
      button.type = "button";
      button.textContent = T.admit;
      button.addEventListener("click", function () {
        submit({registration: item.id, method: "search"});
        searchInput.value = "";
        results.innerHTML = "";
      });
      li.appendChild(text);
      li.appendChild(button);
      results.appendChild(li);
    });
  }
  function runSearch() {
    var q = searchInput.value.trim();
    if (q.length < 2) { results.innerHTML = ""; return; }
    var seq = ++searchSeq;
    fetch(cfg.searchUrl + "?q=" + encodeURIComponent(q), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { return r.json(); })
      .then(function (data) { if (seq === searchSeq) renderResults(data.results || []); })
      .catch(function () { /* the next keystroke searches again */ });
  }
  searchInput.addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 250); });
  document.getElementById("search-form").addEventListener("submit", function (event) { event.preventDefault(); runSearch(); });

  // --- the camera -------------------------------------------------------------------------
  var detector = null, canvas = null, context = null;

  function loadJsQR() {
    return new Promise(function (resolve, reject) {
      if (window.jsQR) { resolve(); return; }
      var script = document.createElement("script");
      script.src = cfg.jsqrUrl;
      script.onload = resolve;
      script.onerror = reject;
      document.head.appendChild(script);
    });
  }

  async function prepareDecoder() {
    if ("BarcodeDetector" in window) {
      try {
        var formats = await window.BarcodeDetector.getSupportedFormats();
        if (formats.indexOf("qr_code") >= 0) { detector = new window.BarcodeDetector({formats: ["qr_code"]}); return; }
      } catch (e) { /* fall back to jsQR */ }
    }
    await loadJsQR();
    canvas = document.createElement("canvas");
    context = canvas.getContext("2d", {willReadFrequently: true});
  }

  async function decodeFrame() {
    if (detector) {
      var codes = await detector.detect(video);
      return codes.length ? codes[0].rawValue : null;
    }
    var w = video.videoWidth, h = video.videoHeight;
    if (!w || !h) return null;
    var scale = Math.min(1, 640 / Math.max(w, h));
    canvas.width = Math.round(w * scale); canvas.height = Math.round(h * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    var image = context.getImageData(0, 0, canvas.width, canvas.height);
    var found = window.jsQR(image.data, image.width, image.height, {inversionAttempts: "dontInvert"});
    return found ? found.data : null;
  }

  async function loop() {
    if (!stream) return;
    if (!busy && overlay.hidden && video.readyState >= 2) {
      try {
        var code = await decodeFrame();
        var now = Date.now();
        if (code && !(code === lastCode && now - lastAt < 5000)) {
          lastCode = code; lastAt = now;
          submit({secret: code, method: "camera"});
        } else if (code) {
          lastAt = now;  // still in view: keep ignoring it
        }
      } catch (e) { /* a frame that cannot be read */ }
    }
    setTimeout(loop, 120);
  }

  async function startCamera() {
    if (!window.isSecureContext || !navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      status(T.cameraInsecure);
      return;
    }
    try {
      await prepareDecoder();
      stream = await navigator.mediaDevices.getUserMedia({audio: false, video: {facingMode: {ideal: "environment"}}});
      video.srcObject = stream;
      await video.play();
      root.classList.add("camera-on");
      status(T.cameraOn);
      loop();
    } catch (e) {
      stream = null;
      status(T.cameraDenied);
    }
  }

  function stopCamera() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.srcObject = null;
    root.classList.remove("camera-on");
    status(T.cameraOff);
  }

  document.getElementById("camera-toggle").addEventListener("click", function () {
    if (stream) stopCamera(); else startCamera();
  });
  startCamera();
})();
