/* Behaviour every page may use, without inline script (the Content-Security-Policy allows
   none): forms with data-confirm="question" ask before they are sent, and say so to the
   server with confirmed=1 (without it, routes that must not act unasked ask on a page of
   their own: forum/confirm.py); buttons with data-print print the page. */
document.addEventListener("submit", function (event) {
  var form = event.target;
  var question = form.getAttribute && form.getAttribute("data-confirm");
  if (!question) return;
  if (!window.confirm(question)) { event.preventDefault(); return; }
  if (!form.querySelector("input[name=confirmed]")) {
    var yes = document.createElement("input");
    yes.type = "hidden"; yes.name = "confirmed"; yes.value = "1";
    form.appendChild(yes);
  }
});
document.addEventListener("click", function (event) {
  var button = event.target.closest && event.target.closest("[data-print]");
  if (button) window.print();
});
/* A file input with data-max-bytes refuses a file over the limit before anything is sent: the
   form and everything typed in it stay as they are, and the browser shows data-too-large (in
   the page's language) at the field. The server checks again; this only saves a long upload
   that would end on the "too large" page. */
(function () {
  function tooLarge(input) {
    var max = parseInt(input.getAttribute("data-max-bytes"), 10);
    return Array.prototype.some.call(input.files || [], function (file) { return file.size > max; });
  }
  function check(input) {
    input.setCustomValidity(tooLarge(input) ? input.getAttribute("data-too-large") : "");
    return input.checkValidity();
  }
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (input.matches && input.matches("input[type=file][data-max-bytes]") && !check(input)) input.reportValidity();
  });
  document.addEventListener("submit", function (event) {
    var inputs = event.target.querySelectorAll ? event.target.querySelectorAll("input[type=file][data-max-bytes]") : [];
    for (var i = 0; i < inputs.length; i++) {
      if (!check(inputs[i])) {  // also in forms marked novalidate, which the browser would send as they are
        event.preventDefault();
        inputs[i].reportValidity();
        return;
      }
    }
  }, true);
})();
/* Links with data-back go back in the browser's history when there is one, which keeps what
   was typed in the form there; otherwise they follow their href. */
document.addEventListener("click", function (event) {
  var link = event.target.closest && event.target.closest("a[data-back]");
  if (link && window.history.length > 1) { event.preventDefault(); window.history.back(); }
});
