/* Reader tools: the font-size buttons and the share button. No third-party code.
   Without JavaScript the tools stay hidden; the page reads the same. */
(function () {
  "use strict";
  var root = document.documentElement;
  var SIZES = ["s", "m", "l", "xl"];
  var YEAR = 60 * 60 * 24 * 365;

  function currentSize() {
    for (var i = 0; i < SIZES.length; i++) {
      if (root.classList.contains("fs-" + SIZES[i])) return SIZES[i];
    }
    return "m";
  }

  function showSize() {
    var size = currentSize();
    document.querySelectorAll("[data-font-size]").forEach(function (button) {
      button.setAttribute("aria-pressed", String(button.getAttribute("data-font-size") === size));
    });
  }

  function setSize(size) {
    SIZES.forEach(function (each) { root.classList.remove("fs-" + each); });
    if (size !== "m") root.classList.add("fs-" + size);
    document.cookie = "fontsize=" + size + "; path=/; max-age=" + YEAR + "; SameSite=Lax";
    showSize();
  }

  function say(tools, text) {
    var status = tools.querySelector("[data-share-status]");
    if (status) status.textContent = text;
  }

  function copyLink(tools, button) {
    var url = button.getAttribute("data-share-url");
    var field = document.querySelector("[data-share-field]");
    var copied = function () { say(tools, button.getAttribute("data-copied")); };
    var select = function () {
      if (field) {
        field.focus();
        field.select();
      }
      say(tools, button.getAttribute("data-select"));
    };
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(copied, select);
    } else {
      select();
    }
  }

  function share(tools, button) {
    var data = { title: button.getAttribute("data-share-title"), url: button.getAttribute("data-share-url") };
    if (navigator.share && (!navigator.canShare || navigator.canShare(data))) {
      navigator.share(data).catch(function (error) {
        if (error && error.name !== "AbortError") copyLink(tools, button);
      });
    } else {
      copyLink(tools, button);
    }
  }

  document.querySelectorAll("[data-reader-tools]").forEach(function (tools) {
    tools.hidden = false;
    tools.querySelectorAll("[data-font-size]").forEach(function (button) {
      button.addEventListener("click", function () { setSize(button.getAttribute("data-font-size")); });
    });
    var shareButton = tools.querySelector("[data-share-url]");
    if (shareButton) {
      shareButton.addEventListener("click", function () { share(tools, shareButton); });
    }
  });
  showSize();
})();
