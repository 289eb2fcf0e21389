/* Folding names for search, the same rules as forum/people/folding.py (read its docstring):
   "Раҳимова", "Рахимова", "Rahimova" and "Rakhimova" all fold to "rahimova". The scanner's
   offline search folds the query with this and compares it with the roster's folded names. */
(function (root) {
  "use strict";
  var TAJIK = { "ҳ": "х", "ҷ": "ч", "қ": "к", "ғ": "г", "ӯ": "у", "ӣ": "и", "ё": "е" };
  var CYRILLIC = {
    "а": "a", "б": "b", "в": "v", "г": "g", "д": "d", "е": "e", "ж": "zh", "з": "z", "и": "i",
    "й": "i", "к": "k", "л": "l", "м": "m", "н": "n", "о": "o", "п": "p", "р": "r", "с": "s",
    "т": "t", "у": "u", "ф": "f", "х": "h", "ц": "ts", "ч": "ch", "ш": "sh", "щ": "sh", "ъ": "",
    "ы": "i", "ь": "", "э": "e", "ю": "iu", "я": "ia"
  };
  var LATIN = [["dzh", "j"], ["dj", "j"], ["kh", "h"], ["gh", "g"], ["x", "h"], ["q", "k"], ["y", "i"], ["w", "v"]];

  function fold(text) {
    if (!text) { return ""; }
    var chars = Array.from(String(text).toLowerCase()).map(function (c) { return TAJIK[c] || c; });
    var s = chars.join("").split("дж").join("j");
    s = Array.from(s).map(function (c) {
      return Object.prototype.hasOwnProperty.call(CYRILLIC, c) ? CYRILLIC[c] : c;
    }).join("");
    s = s.normalize("NFKD").replace(/[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]/g, "");
    LATIN.forEach(function (pair) { s = s.split(pair[0]).join(pair[1]); });
    return s.replace(/[^0-9a-z]+/g, " ").trim();
  }

  root.forumFold = fold;
})(typeof window !== "undefined" ? window : this);
