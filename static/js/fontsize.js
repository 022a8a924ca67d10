/* The reader's font size (小 中 大 特大), remembered in the "fontsize" cookie, as a class on
   <html> before the page is painted. Loaded in <head>: the page is the same cached page for
   every reader, only this class differs. */
(function () {
  var found = document.cookie.match(/(?:^|;\s*)fontsize=(s|l|xl)(?:;|$)/);
  if (found) {
    document.documentElement.classList.add("fs-" + found[1]);
  }
})();
