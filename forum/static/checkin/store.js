/* What the scanner keeps on the phone, in IndexedDB, so a reload, a closed tab or a
   restarted phone loses nothing: every scan with its nonce until the server has it (and the
   last ones after, for the log), and the roster of each checkpoint. */
(function (root) {
  "use strict";
  var NAME = "forum-checkin", VERSION = 1;
  var opening = null;

  function open() {
    if (!opening) {
      opening = new Promise(function (resolve, reject) {
        var request = root.indexedDB.open(NAME, VERSION);
        request.onupgradeneeded = function () {
          var db = request.result;
          if (!db.objectStoreNames.contains("scans")) {
            db.createObjectStore("scans", {keyPath: "nonce"}).createIndex("slug", "slug");
          }
          if (!db.objectStoreNames.contains("rosters")) db.createObjectStore("rosters", {keyPath: "id"});
        };
        request.onsuccess = function () { resolve(request.result); };
        request.onerror = function () { reject(request.error); };
      });
    }
    return opening;
  }

  function run(storeName, mode, work) {
    return open().then(function (db) {
      return new Promise(function (resolve, reject) {
        var tx = db.transaction(storeName, mode), result;
        var request = work(tx.objectStore(storeName));
        if (request) request.onsuccess = function () { result = request.result; };
        tx.oncomplete = function () { resolve(result); };  // written to disk: only now is a scan safe
        tx.onerror = function () { reject(tx.error); };
        tx.onabort = function () { reject(tx.error); };
      });
    });
  }

  root.forumStore = {
    putScan: function (scan) { return run("scans", "readwrite", function (s) { return s.put(scan); }); },
    scans: function (slug) {
      return run("scans", "readonly", function (s) { return s.index("slug").getAll(slug); }).then(function (all) {
        return (all || []).sort(function (a, b) { return a.created - b.created; });
      });
    },
    deleteScans: function (nonces) {
      return run("scans", "readwrite", function (s) { nonces.forEach(function (n) { s.delete(n); }); });
    },
    roster: function (id) { return run("rosters", "readonly", function (s) { return s.get(id); }); },
    putRoster: function (roster) { return run("rosters", "readwrite", function (s) { return s.put(roster); }); }
  };
})(typeof self !== "undefined" ? self : this);
