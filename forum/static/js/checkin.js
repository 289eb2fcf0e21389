/* The scanner page: camera, keyboard scanners and typed codes, search by name. Every scan
   goes through ForumDoor (static/checkin/door.js): kept on the phone with its nonce, sent to
   the server, and when the network is gone decided on the phone from its roster and sent
   later. The page installs as a web app and opens offline (static/checkin/sw.js). */
(function () {
  "use strict";
  var root = document.getElementById("scanner");
  if (!root) return;
  var cfg = JSON.parse(root.getAttribute("data-config"));
  var T = cfg.text;
  var checkpoint = document.getElementById("checkpoint");
  var overlay = document.getElementById("result");
  var log = document.getElementById("log");
  var statusBar = document.getElementById("door-status");
  var hideTimer = null;

  function fill(template, values) {
    return template.replace(/\{(\w+)\}/g, function (all, name) { return values[name] !== undefined ? values[name] : all; });
  }

  // Times as at the door: the forum's zone (Dushanbe), whatever the phone's zone. A browser
  // without the page's language (Tajik, often) writes the day in digits, not in another language.
  var knowsLanguage = Intl.DateTimeFormat.supportedLocalesOf([cfg.language]).length > 0;
  function clock(iso, withDay) {
    var options = {hour: "2-digit", minute: "2-digit", hourCycle: "h23", timeZone: cfg.timezone};
    if (withDay) { options.day = "numeric"; options.month = knowsLanguage ? "long" : "2-digit"; }
    try { return new Intl.DateTimeFormat(knowsLanguage ? cfg.language : "ru", options).format(new Date(iso)); } catch (e) {
      return new Date(iso).toLocaleTimeString();
    }
  }

  // --- this phone's name, sent with every scan: the board tells phones apart by it ------------
  // Staff may name the phone; until then it is "Phone 2", numbered by the server in the order
  // the forum's phones first opened the scanner (a random mark only while that is unknown).
  var deviceInput = document.getElementById("device-name"), deviceLabel = document.getElementById("device-label");
  var DEVICE_KEY = "forum-device-name", provisional = "";
  function storedName() {
    try { return localStorage.getItem(DEVICE_KEY) || ""; } catch (e) { return ""; /* private mode */ }
  }
  function deviceName() {
    var name = storedName();
    if (!name) {
      if (!provisional) provisional = T.phone + " " + Math.random().toString(36).slice(2, 6).toUpperCase();
      name = provisional;
    }
    return name;
  }
  function numberThisPhone() {
    if (storedName()) return;
    fetch(cfg.deviceUrl, {method: "POST", credentials: "same-origin", redirect: "manual",
                          headers: window.forumCsrf.headers({"Accept": "application/json"})})
      .then(function (r) { if (!r.ok) throw new Error("device"); return r.json(); })
      .then(function (body) {
        if (storedName()) return;  // named by staff meanwhile
        try { localStorage.setItem(DEVICE_KEY, body.name); } catch (e) { provisional = body.name; }
        showDevice();
        linkWalkIn();
      })
      .catch(function () { /* offline: the provisional mark for now, a number next time */ });
  }
  function showDevice() { deviceLabel.textContent = deviceName(); deviceInput.value = deviceName(); }
  document.getElementById("device-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var name = deviceInput.value.trim().slice(0, 40);
    if (name) { try { localStorage.setItem(DEVICE_KEY, name); } catch (e) { provisional = name; } }
    showDevice();
    linkWalkIn();
    event.target.closest("details").open = false;
  });
  showDevice();
  numberThisPhone();

  var door = new window.ForumDoor({
    slug: cfg.slug, scanUrl: cfg.scanUrl, batchUrl: cfg.batchUrl, rosterUrl: cfg.rosterUrl, codes: cfg.codes,
    device: deviceName
  });

  // --- the status line: online or not, what waits, how fresh the list is -------------------
  function render() {
    var waiting = door.waiting().length, roster = door.roster;
    statusBar.setAttribute("data-state", door.online ? "online" : "offline");
    statusBar.setAttribute("data-waiting", String(waiting));
    statusBar.querySelector(".door-state").textContent = door.online ? T.online : T.offline;
    statusBar.querySelector(".door-waiting").textContent = waiting ? fill(T.waiting, {n: waiting}) : "";
    statusBar.querySelector(".door-roster").textContent = roster
      ? fill(T.roster, {n: Object.keys(roster.entries).length, time: clock(roster.fetched)}) : T.noRoster;
    document.getElementById("door-login").hidden = !door.needLogin;
    renderLog();
  }
  door.onchange = render;

  // --- the result, filling the screen ------------------------------------------------------
  function kindOf(status) {
    if (status === "ok") return "ok";
    if (status === "already_checked_in" || status === "unchecked") return "warn";
    return "bad";
  }

  function setText(selector, text) {
    var el = overlay.querySelector(selector);
    el.textContent = text || "";
    el.hidden = !text;
  }

  // The sentence for an answer decided on this phone (the server sends its own).
  function message(local) {
    var r = local.reason, cp = door.roster && door.roster.checkpoint ? door.roster.checkpoint.name : "";
    if (r === "first") return T.first;
    if (r === "reentry") return T.reentryMessage;
    if (r === "already") {
      var f = local.first;
      return fill(T.already, {time: clock(f.at), checkpoint: cp, user: f.by || f.device || T.anOrganizer});
    }
    if (r === "cancelled") return T.cancelledMessage;
    if (r === "checkpoint_rule") return fill(T.checkpoint_rule, {checkpoint: cp});
    if (r === "reissued") {
      return fill(T.reissued, {name: local.person ? local.person.name : "?", time: clock(local.reissued.at, true),
                               who: local.reissued.by || T.anOrganizer});
    }
    return T[r] || T.unknown_badge;
  }

  function show(result) {
    var answer = result.server || result.local || {}, decidedHere = !result.server;
    var status = result.error ? "error" : answer.status;
    var kind = result.error ? "bad" : kindOf(status);
    overlay.className = "result result-" + kind;
    overlay.setAttribute("data-status", status);
    overlay.setAttribute("data-source", decidedHere ? "phone" : "server");
    var person = answer.registration || answer.person || {};
    var labels = door.roster && door.roster.labels ? door.roster.labels.categories : {};
    setText(".result-offline", decidedHere && !result.error ? T.decidedHere : "");
    setText(".result-title", result.error ? T.error : (answer.reason === "reentry" ? T.reentry : T[status]));
    setText(".result-name", person.name);
    setText(".result-org", person.organization);
    setText(".result-category", person.category_label || labels[person.category]);
    setText(".result-message", result.error || (decidedHere ? message(answer) : answer.message));
    setText(".result-hint", T.tapToContinue);
    overlay.hidden = false;
    overlay.focus();
    beep(kind);
    clearTimeout(hideTimer);
    hideTimer = setTimeout(hide, kind === "ok" ? 2500 : 6000);
  }

  function hide() {
    clearTimeout(hideTimer);
    overlay.hidden = true;
    if (!isTouch()) {
      // A USB scanner typing the next badge as the result goes away: the characters it typed
      // so far move into the field with the focus, so the badge is read whole, not its tail.
      if (typed && Date.now() - typedAt <= 300) { codeInput.value = typed; typed = ""; }
      codeInput.focus();
    }
  }
  overlay.addEventListener("click", hide);
  document.addEventListener("keydown", function (event) {
    if (!overlay.hidden && (event.key === "Escape" || event.key === " ")) hide();
  });

  // --- the log: this phone's last scans, kept on the phone, with what the server said --------
  function renderLog() {
    log.innerHTML = "";
    door.records.slice(-8).reverse().forEach(function (r) {
      var said = (r.shown === "phone" ? r.local : r.server || r.local) || {}, li = document.createElement("li");
      li.className = "log-" + kindOf(said.status);
      li.setAttribute("data-state", r.state);
      var parts = [clock(r.created), said.reason === "reentry" ? T.reentry : T[said.status] || "?"];
      var name = (r.server && r.server.registration && r.server.registration.name) || r.name || r.raw || "";
      if (name) parts.push(name);
      if (r.state === "queued") parts.push(T.queued);
      if (r.shown === "phone" && r.server && r.server.status !== said.status) {
        parts.push(fill(T.serverSays, {answer: T[r.server.status]}));  // decided here; the server knew better
      }
      if (r.error) parts.push(fill(T.refused, {reason: r.error.message || r.error.code}));
      li.textContent = parts.join(" · ");
      log.appendChild(li);
    });
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

  // --- scanning ---------------------------------------------------------------------------
  var busy = false;
  function submit(input) {
    if (!checkpoint) { show({error: T.noCheckpoint}); return; }
    busy = true;
    door.scan(input).then(show, function (error) { show({error: String(error && error.message || error)}); })
      .finally(function () { busy = false; });
  }

  var codeInput = document.getElementById("code");
  document.getElementById("code-form").addEventListener("submit", function (event) {
    event.preventDefault();
    var value = codeInput.value.trim();
    if (!value) return;
    codeInput.value = "";
    submit({value: value, method: "keyboard"});
  });

  // A scanner "types" fast and ends with Enter; caught when no field has the focus, also
  // while the last result is still on screen (the next badge is not lost).
  var typed = "", typedAt = 0;
  document.addEventListener("keydown", function (event) {
    var target = event.target;
    if (target && (target.tagName === "INPUT" || target.tagName === "SELECT" || target.tagName === "TEXTAREA")) return;
    var now = Date.now();
    if (now - typedAt > 300) typed = "";
    typedAt = now;
    if (event.key === "Enter") {
      if (typed.length >= 6) { event.preventDefault(); submit({value: typed, method: "keyboard"}); }
      typed = "";
    } else if (event.key && event.key.length === 1 && event.key !== " ") {
      typed += event.key;
    }
  });

  function isTouch() { return window.matchMedia && window.matchMedia("(pointer: coarse)").matches; }
  if (!isTouch()) codeInput.focus();

  // --- search by name, phone or code: the server when online, else the list on the phone ------
  var searchInput = document.getElementById("search"), results = document.getElementById("results");
  var searchTimer = null, searchSeq = 0;
  function renderResults(items) {
    results.innerHTML = "";
    if (!items.length) {
      var none = document.createElement("li");
      none.textContent = T.noResults;
      results.appendChild(none);
      return;
    }
    var labels = door.roster ? door.roster.labels : {categories: {}, statuses: {}};
    items.forEach(function (item) {
      var li = document.createElement("li"), text = document.createElement("span"), strong = document.createElement("strong");
      text.className = "result-person";
      strong.textContent = item.name;
      text.appendChild(strong);
      var details = [item.organization, item.category_label || labels.categories[item.category], item.code];
      text.appendChild(document.createTextNode(details.filter(Boolean).map(function (s) { return " · " + s; }).join("")));
      if (item.status !== "confirmed") {
        var st = document.createElement("em");
        st.textContent = " (" + (item.status_label || labels.statuses[item.status]) + ")";
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
    var q = searchInput.value.trim(), seq = ++searchSeq;
    if (q.length < 2) { results.innerHTML = ""; return; }
    var local = function () { return door.search(q); };
    var found = !door.online ? local() : door.request(cfg.searchUrl + "?q=" + encodeURIComponent(q), {timeout: 3000})
      .then(function (r) { if (!r.ok) throw new Error("search"); return r.json(); })
      .then(function (data) { return data.results || []; }, local);
    found.then(function (items) { if (seq === searchSeq) renderResults(items); });
  }
  searchInput.addEventListener("input", function () { clearTimeout(searchTimer); searchTimer = setTimeout(runSearch, 250); });
  document.getElementById("search-form").addEventListener("submit", function (event) { event.preventDefault(); runSearch(); });

  // --- the camera -------------------------------------------------------------------------
  var cameraStatus = document.getElementById("camera-status");
  var camera = new window.ForumCamera({
    video: document.getElementById("video"), jsqrUrl: cfg.jsqrUrl,
    ready: function () { return !busy && overlay.hidden; },
    onCode: function (code) { submit({value: code, method: "camera"}); },
    status: function (kind) {
      root.classList.toggle("camera-on", kind === "on");
      cameraStatus.textContent = {on: T.cameraOn, off: T.cameraOff, denied: T.cameraDenied, insecure: T.cameraInsecure}[kind];
    }
  });
  document.getElementById("camera-toggle").addEventListener("click", function () { camera.toggle(); });
  camera.start();

  // --- the checkpoint, remembered per forum on this phone; its roster ------------------------
  var storeKey = "forum-checkpoint-" + cfg.slug, started;
  // The walk-in desk opens on this phone's checkpoint and under this phone's name.
  var walkinLink = document.getElementById("walkin-link"), walkinBase = walkinLink ? walkinLink.getAttribute("href") : "";
  function linkWalkIn() {
    if (!walkinLink) return;
    walkinLink.setAttribute("href", walkinBase + "?checkpoint=" + encodeURIComponent(checkpoint ? checkpoint.value : "") +
                            "&device=" + encodeURIComponent(deviceName()));
  }
  if (checkpoint) {
    try {
      var saved = localStorage.getItem(storeKey);
      if (saved && checkpoint.querySelector('option[value="' + saved.replace(/"/g, "") + '"]')) checkpoint.value = saved;
    } catch (e) { /* private mode */ }
    checkpoint.addEventListener("change", function () {
      try { localStorage.setItem(storeKey, checkpoint.value); } catch (e) { /* ignore */ }
      door.use(checkpoint.value);
      linkWalkIn();
    });
    started = door.load().then(function () { return door.use(checkpoint.value); });
  } else {
    started = door.load();
  }
  linkWalkIn();
  setInterval(function () { door.tick(); }, 1000);
  window.addEventListener("online", function () { door.nextUpload = 0; door.nextRoster = 0; door.tick(); });
  window.addEventListener("offline", function () { door.offline(); });

  // --- an installable app that opens offline (HTTPS or localhost only) ----------------------
  var installed = Promise.resolve();
  if ("serviceWorker" in navigator) {
    installed = navigator.serviceWorker.register(cfg.serviceWorkerUrl, {scope: cfg.serviceWorkerScope})
      .then(function () { return navigator.serviceWorker.ready; })
      .then(function () { return caches.open("forum-checkin-pages"); })
      .then(function (cache) { return cache.add(new Request(location.href, {credentials: "same-origin"})); })
      .catch(function () { /* the open page still works offline */ });
  }
  Promise.all([started, installed]).then(function () {
    if (door.roster) document.documentElement.setAttribute("data-offline-ready", "1");
  });
})();
