/* The one way scripts send the CSRF token (Flask-WTF reads the X-CSRFToken header): every
   page carries it in <meta name="csrf-token"> (base.html), and every script that posts asks
   forumCsrf.headers() for its request headers. A fresher token from the server (the
   scanner's roster answer) replaces it through forumCsrf.set(). */
(function (root) {
  "use strict";
  function meta() { return root.document && root.document.querySelector('meta[name="csrf-token"]'); }
  var kept = "";

  root.forumCsrf = {
    token: function () { var m = meta(); return kept || (m ? m.content : ""); },
    set: function (token) { if (token) { kept = token; var m = meta(); if (m) m.content = token; } },
    headers: function (extra) {
      var headers = {};
      Object.keys(extra || {}).forEach(function (k) { headers[k] = extra[k]; });
      headers["X-CSRFToken"] = root.forumCsrf.token();
      return headers;
    }
  };
})(window);
