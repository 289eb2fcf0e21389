/* The scanner's service worker, served as /checkin/sw.js (scope /checkin/) after a line that
   sets self.FORUM_SW = {version, assets}. It keeps the page's static files (nothing from the
   internet) and the scanner pages opened online, so a phone opens the scanner with no
   network. Everything else (the API, scans, search) goes to the network as usual: the page
   itself keeps scans in IndexedDB until they are sent. */
"use strict";
var SETTINGS = self.FORUM_SW;
var STATIC = "forum-checkin-static-" + SETTINGS.version;
var PAGES = "forum-checkin-pages";  // kept across versions: the pages of the scanner
var ASSETS = SETTINGS.assets;
var PAGE_WAIT = 4000;  // on a weak Wi-Fi, the kept page rather than a blank screen

self.addEventListener("install", function (event) {
  event.waitUntil(caches.open(STATIC).then(function (cache) { return cache.addAll(ASSETS); })
    .then(function () { return self.skipWaiting(); }));
});

self.addEventListener("activate", function (event) {
  event.waitUntil(caches.keys().then(function (names) {
    return Promise.all(names.filter(function (name) {
      return name.indexOf("forum-checkin-static-") === 0 && name !== STATIC;
    }).map(function (name) { return caches.delete(name); }));
  }).then(function () { return self.clients.claim(); }));
});

function isPage(url, request) {
  return request.mode === "navigate" || /\/manifest\.webmanifest$/.test(url.pathname);
}

function kept(request) {
  return caches.match(request.url, {cacheName: PAGES});
}

function fromNetworkKeeping(request) {
  var timeout;
  var network = fetch(request).then(function (response) {
    clearTimeout(timeout);
    if (response.ok && !response.redirected && response.type === "basic") {
      var copy = response.clone();
      caches.open(PAGES).then(function (cache) { cache.put(request.url, copy); });
    }
    if (response.status < 500) return response;
    // The venue's router answers while its uplink is down (502, 503, 504): for the door that is
    // no network, as door.js counts it, and the kept page serves better than the error.
    return kept(request).then(function (page) { return page || response; });
  });
  var late = new Promise(function (resolve, reject) {
    timeout = setTimeout(function () { reject(new Error("slow")); }, PAGE_WAIT);
  });
  return Promise.race([network, late]).catch(function (error) {
    return kept(request).then(function (page) {
      if (page) return page;
      return error.message === "slow" ? network : Promise.reject(error);
    });
  });
}

self.addEventListener("fetch", function (event) {
  var request = event.request, url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  if (ASSETS.indexOf(url.pathname) >= 0) {
    event.respondWith(caches.match(url.pathname, {cacheName: STATIC}).then(function (kept) {
      return kept || fetch(request);
    }));
  } else if (url.pathname.indexOf("/checkin/") === 0 && url.pathname.indexOf("/walk-in") < 0 && isPage(url, request)) {
    // The walk-in desk needs the network (it registers people) and its pages name them: not kept.
    event.respondWith(fromNetworkKeeping(request));
  }
});
