/* The reader's font size (小 中 大 特大), remembered in the "fontsize" cookie, as a class on
   <html> before the page is painted. Loaded in <head>: the page is the same cached page for
   every reader, only this class differs. */
(function () {
  // Scripts run: the reader tools (shown by reader.js) get their place from the first paint,
  // so nothing below them moves when they appear (no layout shift).
  document.documentElement.classList.add("js");
  var found = document.cookie.match(/(?:^|;\s*)fontsize=(s|l|xl)(?:;|$)/);
  if (found) {
    document.documentElement.classList.add("fs-" + found[1]);
  }
})();
