/* The scanner's memory and judgement for when the Wi-Fi drops: the checkpoint's roster (kept
   fresh every minute while online), a decision for every scan from that roster and this
   phone's own log by the server's rules (forum/checkin/service.py: replaced badge, unknown,
   cancelled, declined, not admitted here, already in), and the queue of scans, each stored in
   IndexedDB with its nonce before anything else happens, uploaded through the batch API
   until the server has it. The same nonce is always the same scan: never lost, never doubled.
   No DOM here: checkin.js shows what this says. */
(function (root) {
  "use strict";
  var store = root.forumStore, hash = root.forumHash, fold = root.forumFold;
  var MINUTE = 60000, CHUNK = 100, KEEP_DONE = 200;

  function ForumDoor(cfg) {
    this.cfg = cfg;
    this.records = [];       // this forum's scans on this phone, oldest first
    this.roster = null;      // the current checkpoint's roster, with lookup maps
    this.online = true;      // the last request reached the server
    this.needLogin = false;
    this.uploading = false;
    this.nextUpload = 0;
    this.nextRoster = 0;
    this.failures = 0;
    // What this phone kept on disk (its log, the checkpoint's roster): a scan waits for these
    // to be read, never for the network. A page reopened offline reads a badge before
    // IndexedDB answers; decided without its roster it would be "unchecked".
    this.kept = Promise.resolve();
    this.onchange = function () {};
  }

  // --- what was scanned -----------------------------------------------------------------
  // forum/badges/codes.py: keyboard-layout letters back to Latin, upper case, letters and digits only.
  ForumDoor.prototype.normalize = function (text) {
    var c = this.cfg.codes, out = "";
    Array.from(String(text || "").trim()).forEach(function (ch) {
      var at = c.cyrillic.indexOf(ch);
      if (at >= 0) ch = c.latin[at];
      else if ((at = c.cyrillic.toLowerCase().indexOf(ch)) >= 0) ch = c.latin[at];
      ch = ch.toUpperCase();
      if (/^[\p{L}\p{N}]+$/u.test(ch)) out += ch;
    });
    return out;
  };

  ForumDoor.prototype.kindOf = function (value) {
    var c = this.cfg.codes;
    var inAlphabet = Array.from(value).every(function (ch) { return c.alphabet.indexOf(ch) >= 0; });
    if (inAlphabet && value.length === c.secretLength) return "secret";
    if (inAlphabet && value.length === c.codeLength) return "code";
    return "other";
  };

  // --- the roster -------------------------------------------------------------------------
  ForumDoor.prototype.rosterId = function (checkpoint) { return this.cfg.slug + "/" + checkpoint; };

  function indexed(roster) {
    roster.bySecret = {}; roster.byCode = {}; roster.retiredSecret = {}; roster.retiredCode = {};
    Object.keys(roster.entries).forEach(function (id) {
      var e = roster.entries[id];
      roster.bySecret[e.secret] = e;
      if (e.code) roster.byCode[e.code] = e;
    });
    roster.reissued.forEach(function (r) {
      roster.retiredSecret[r.secret] = r;
      if (r.code) roster.retiredCode[r.code] = r;
    });
    return roster;
  }

  // The roster as IndexedDB keeps it: plain data, no lookup maps.
  function stored(roster) {
    return {id: roster.id, cursor: roster.cursor, key: roster.key, checkpoint: roster.checkpoint, days: roster.days,
            timezone: roster.timezone, labels: roster.labels, offset: roster.offset, fetched: roster.fetched,
            entries: roster.entries, reissued: roster.reissued};
  }

  ForumDoor.prototype.use = function (checkpoint) {
    var door = this;
    door.checkpoint = checkpoint;
    door.roster = null;
    door.nextRoster = 0;
    var read = store.roster(door.rosterId(checkpoint)).then(function (kept) {
      if (kept && door.checkpoint === checkpoint) door.roster = indexed(kept);
      door.onchange();
    });
    door.kept = Promise.all([door.kept, read]).catch(function () { /* decided without it */ });
    return read.then(function () { return door.refreshRoster(); });
  };

  ForumDoor.prototype.request = function (url, options) {
    var controller = new AbortController();
    var timer = setTimeout(function () { controller.abort(); }, (options && options.timeout) || 10000);
    var init = Object.assign({credentials: "same-origin", redirect: "manual", signal: controller.signal,
                              headers: {"Accept": "application/json"}}, options || {});
    return fetch(url, init).finally(function () { clearTimeout(timer); });
  };

  ForumDoor.prototype.refreshRoster = function () {
    var door = this, checkpoint = door.checkpoint;
    if (!checkpoint) return Promise.resolve();
    var kept = door.roster, url = door.cfg.rosterUrl.replace("__key__", encodeURIComponent(checkpoint));
    if (kept && kept.cursor) url += "?since=" + encodeURIComponent(kept.cursor);
    var sent = Date.now();
    door.nextRoster = sent + MINUTE;
    return door.request(url).then(function (response) {
      if (!door.answered(response)) return null;
      return response.json().then(function (body) {
        if (door.checkpoint !== checkpoint) return;
        var roster = (body.full || !kept) ? {entries: {}, reissued: []} : kept;
        body.registrations.forEach(function (e) { roster.entries[e.id] = e; });
        roster.reissued = body.full ? body.reissued : roster.reissued.concat(body.reissued);
        ["cursor", "key", "checkpoint", "days", "timezone", "labels"].forEach(function (k) { roster[k] = body[k]; });
        roster.id = door.rosterId(checkpoint);
        roster.fetched = Date.now();
        // The phone's clock may be wrong: scans are sent at the server's time.
        roster.offset = Date.parse(body.server_time) - (sent + roster.fetched) / 2;
        root.forumCsrf.set(body.csrf_token);
        door.roster = indexed(roster);
        return store.putRoster(stored(roster)).then(function () { door.onchange(); });
      });
    }, function () { door.offline(); });
  };

  // --- deciding a scan as the server would --------------------------------------------------
  // The person's entry here: from the roster, else a first entry this phone let in.
  ForumDoor.prototype.entryOf = function (id) {
    var door = this, entry = door.roster.entries[id];
    if (entry && entry.in) return entry.in;
    var mine = door.records.filter(function (r) {
      var said = r.server || r.local || {};
      return r.registration === id && r.checkpoint === door.checkpoint && said.status === "ok" && said.reason === "first";
    })[0];
    return mine ? {at: mine.at, by: "", device: mine.device} : null;
  };

  ForumDoor.prototype.decide = function (record) {
    var door = this, roster = door.roster;
    if (!roster) return Promise.resolve({status: "unchecked", reason: "no_roster"});
    var found = record.registration ? Promise.resolve({entry: roster.entries[record.registration]})
      : record.kind === "other" ? Promise.resolve({unreadable: true})
      : hash.rosterHash(roster.key, record.value).then(function (h) {
        var code = record.kind === "code";
        return {entry: (code ? roster.byCode : roster.bySecret)[h], retired: (code ? roster.retiredCode : roster.retiredSecret)[h]};
      });
    return found.then(function (f) {
      var e = f.entry;
      if (f.unreadable) return {status: "unknown", reason: "unreadable"};
      if (!e && f.retired) {
        return {status: "not_allowed", reason: "reissued", person: roster.entries[f.retired.registration], reissued: f.retired};
      }
      if (!e) return {status: "unknown", reason: record.kind === "code" ? "unknown_code" : "unknown_badge"};
      var answer = {person: e};
      if (e.status === "cancelled") return Object.assign(answer, {status: "cancelled", reason: "cancelled"});
      if (e.status === "declined") return Object.assign(answer, {status: "not_allowed", reason: "declined"});
      if (!e.admitted) return Object.assign(answer, {status: "not_allowed", reason: "checkpoint_rule"});
      var first = door.entryOf(e.id);
      if (!first) return Object.assign(answer, {status: "ok", reason: "first"});
      if (roster.checkpoint.reentry) return Object.assign(answer, {status: "ok", reason: "reentry", first: first});
      return Object.assign(answer, {status: "already_checked_in", reason: "already", first: first});
    });
  };

  // --- a scan: stored first, then sent, else decided here --------------------------------------
  function nonce() {
    if (root.crypto && crypto.randomUUID) return crypto.randomUUID();
    var bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.prototype.map.call(bytes, function (b) { return ("0" + b.toString(16)).slice(-2); }).join("");
  }

  // What was kept, read: also what a read started meanwhile adds (the page reads the log, then
  // the checkpoint's roster; a badge read between the two waits for both).
  ForumDoor.prototype.settled = function () {
    var door = this, kept = door.kept;
    return kept.then(function () { return door.kept === kept ? null : door.settled(); });
  };

  ForumDoor.prototype.scan = function (input) {
    var door = this, now = Date.now();
    return door.settled().then(function () { return door.scanRead(input, now); });
  };

  ForumDoor.prototype.scanRead = function (input, now) {
    var door = this, offset = door.roster ? door.roster.offset || 0 : 0;
    var record = {nonce: nonce(), slug: door.cfg.slug, checkpoint: door.checkpoint, method: input.method,
                  device: door.cfg.device(), created: now, phoneAt: new Date(now).toISOString(),
                  at: new Date(now + offset).toISOString(), state: "queued"};
    if (input.registration) record.registration = input.registration;
    else { record.value = door.normalize(input.value); record.kind = door.kindOf(record.value); record.raw = input.value; }
    return door.decide(record).then(function (local) {
      record.local = {status: local.status, reason: local.reason};
      if (local.person) { record.registration = local.person.id; record.name = local.person.name; }
      return store.putScan(record).then(function () {  // on disk before it is sent: nothing is lost
        door.records.push(record);
        door.onchange();
        if (!door.online) { door.soon(); return door.shown(record, "phone", {local: local, record: record}); }
        return door.sendOne(record).then(function (server) {
          return server ? door.shown(record, "server", {server: server, record: record})
            : door.shown(record, "phone", {local: local, record: record});
        });
      });
    });
  };

  // Which answer the door showed: the server's, or this phone's own (offline).
  ForumDoor.prototype.shown = function (record, source, result) {
    record.shown = source;
    return store.putScan(record).then(function () { return result; });
  };

  ForumDoor.prototype.sendOne = function (record, attempt) {
    var door = this, body = {checkpoint: record.checkpoint, nonce: record.nonce, method: record.method,
                             device: record.device};
    if (record.registration && !record.value) body.registration = record.registration;
    else body.secret = record.raw;
    record.sending = true;  // not in a batch meanwhile (the same nonce would do no harm, only waste)
    return door.request(door.cfg.scanUrl, {
      method: "POST", body: JSON.stringify(body), timeout: 3000,
      headers: root.forumCsrf.headers({"Content-Type": "application/json", "Accept": "application/json"})
    }).then(function (response) {
      record.sending = false;
      if (!door.answered(response)) return null;
      return response.json().then(function (answer) {
        if (!response.ok) { record.error = answer.error || {}; record.state = "refused"; }
        else { record.server = answer; record.state = "done"; }
        return door.save([record]).then(function () { return record.server || null; });
      });
    }, function () {
      record.sending = false;
      if (!attempt) return new Promise(function (r) { setTimeout(r, 400); }).then(function () { return door.sendOne(record, 1); });
      door.offline();
      return null;
    });
  };

  // --- the queue ------------------------------------------------------------------------
  ForumDoor.prototype.waiting = function () {
    return this.records.filter(function (r) { return r.state === "queued"; });
  };

  ForumDoor.prototype.upload = function () {
    var door = this, queued = door.waiting().filter(function (r) { return !r.sending; }).slice(0, CHUNK);
    if (door.uploading || !queued.length) return Promise.resolve();
    door.uploading = true;
    var scans = queued.map(function (r) {
      var item = {checkpoint: r.checkpoint, nonce: r.nonce, at: r.at, method: r.method, device: r.device};
      if (["ok", "already_checked_in", "unknown", "not_allowed", "cancelled"].indexOf(r.local.status) >= 0) {
        item.answered = r.local.status;  // what this phone showed: the board tells conflicts by it
      }
      if (r.value === undefined) item.registration = r.registration;
      else item[r.kind === "code" ? "code" : "secret"] = r.kind === "other" ? r.raw : r.value;
      return item;
    });
    return door.request(door.cfg.batchUrl, {
      method: "POST", body: JSON.stringify({device: door.cfg.device(), scans: scans}), timeout: 30000,
      headers: root.forumCsrf.headers({"Content-Type": "application/json", "Accept": "application/json"})
    }).then(function (response) {
      if (!door.answered(response)) return;
      return response.json().then(function (body) {
        if (!response.ok) { door.retryLater(); if (response.status === 400) door.nextRoster = 0; return; }
        body.results.forEach(function (result, i) {
          var r = queued[i];
          if (result.error) { r.error = result.error; r.state = "refused"; } else { r.server = result; r.state = "done"; }
        });
        door.failures = 0;
        return door.save(queued).then(function () { if (door.waiting().length) door.soon(); });
      });
    }, function () { door.offline(); }).finally(function () { door.uploading = false; door.onchange(); });
  };

  ForumDoor.prototype.save = function (records) {
    var door = this;
    return Promise.all(records.map(function (r) { return store.putScan(r); })).then(function () {
      var done = door.records.filter(function (r) { return r.state !== "queued"; });
      var old = done.slice(0, Math.max(0, done.length - KEEP_DONE)).map(function (r) { return r.nonce; });
      door.records = door.records.filter(function (r) { return old.indexOf(r.nonce) < 0; });
      door.onchange();
      return old.length ? store.deleteScans(old) : null;
    });
  };

  // Whether a response came from the app (else the login page, a proxy's error…).
  ForumDoor.prototype.answered = function (response) {
    var json = (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
    if (response.type === "opaqueredirect" || response.status === 401 || response.status === 403) {
      this.needLogin = true;
      this.online = true;
      this.onchange();
      return false;
    }
    if (response.status >= 500 || !json) { this.offline(); return false; }
    this.needLogin = false;
    if (!this.online) { this.online = true; this.failures = 0; this.soon(); }
    this.onchange();
    return true;
  };

  ForumDoor.prototype.offline = function () {
    this.online = false;
    this.retryLater();
    this.onchange();
  };

  ForumDoor.prototype.retryLater = function () {
    this.failures = Math.min(this.failures + 1, 5);
    this.nextUpload = Date.now() + 2000 * Math.pow(2, this.failures - 1);  // 2 s … 32 s
  };

  ForumDoor.prototype.soon = function () { this.nextUpload = Math.min(this.nextUpload, Date.now() + 300); };

  // Called every second: upload what waits, refresh the roster every minute.
  ForumDoor.prototype.tick = function () {
    var now = Date.now();
    if (this.waiting().length && now >= this.nextUpload && !this.uploading) this.upload();
    if (now >= this.nextRoster) this.refreshRoster();  // sets the next one a minute on
  };

  ForumDoor.prototype.load = function () {
    var door = this;
    var read = store.scans(door.cfg.slug).then(function (records) { door.records = records; door.onchange(); });
    door.kept = Promise.all([door.kept, read]).catch(function () { /* decided without it */ });
    return read;
  };

  // --- search on the phone: folded query against folded names --------------------------------
  ForumDoor.prototype.search = function (query) {
    var door = this, roster = door.roster;
    if (!roster) return Promise.resolve([]);
    var words = fold(query).split(" ").filter(Boolean), value = door.normalize(query);
    var byCode = door.kindOf(value) === "code" ? hash.rosterHash(roster.key, value) : Promise.resolve(null);
    return byCode.then(function (h) {
      var found = h && roster.byCode[h] ? [roster.byCode[h]] : [];
      if (words.length) {
        Object.keys(roster.entries).some(function (id) {
          var e = roster.entries[id];
          if (found.indexOf(e) < 0 && words.every(function (w) { return e.folded.indexOf(w) >= 0; })) found.push(e);
          return found.length >= 12;
        });
      }
      return found;
    });
  };

  root.ForumDoor = ForumDoor;
})(typeof self !== "undefined" ? self : this);
