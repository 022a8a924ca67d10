/* The desk's one script (loaded on every admin page; no inline script anywhere, so the
 * desk works under Content-Security-Policy script-src 'self').
 *
 * 1. Leaving a change form with unsaved edits asks first (beforeunload).
 * 2. A draft saves itself: every 30 s and when a text field loses focus, the text fields are
 *    POSTed to the article's autosave address (a new server-side revision of the draft), and
 *    "已自动保存 15:04" is shown. The form's hidden version follows, so a later save by hand is
 *    not refused as stale.
 */
(function () {
  "use strict";

  var INTERVAL = 30000;
  var TEXT_FIELDS = ["headline", "subheadline", "dateline", "body"];

  function changeForm() {
    return document.querySelector("form[id$='_form'][method='post']");
  }

  function init() {
    var form = changeForm();
    if (!form || !form.querySelector("[name=csrfmiddlewaretoken]")) return;
    var dirty = false; // anything unsaved
    var textDirty = false; // a text field changed since the last (auto)save
    var submitting = false;

    function isText(el) {
      return TEXT_FIELDS.indexOf(el.name) !== -1;
    }
    function touched(event) {
      var el = event.target;
      if (!el || !el.name || el.name === "_step_note") return;
      dirty = true;
      if (isText(el)) textDirty = true;
    }
    form.addEventListener("input", touched);
    form.addEventListener("change", touched);
    form.addEventListener("submit", function () {
      submitting = true;
    });
    window.addEventListener("beforeunload", function (event) {
      if (dirty && !submitting) {
        event.preventDefault();
        event.returnValue = "";
        return "";
      }
    });

    var status = document.getElementById("autosave-status");
    if (!status || !status.dataset.autosaveUrl) return;
    var url = status.dataset.autosaveUrl;
    var saving = false;
    var otherDirty = false;

    form.addEventListener("input", function (event) {
      if (event.target && event.target.name && !isText(event.target)) otherDirty = true;
    });

    function autosave() {
      if (!textDirty || saving || submitting) return;
      var data = new FormData();
      data.append("csrfmiddlewaretoken", form.querySelector("[name=csrfmiddlewaretoken]").value);
      var version = form.querySelector("[name=expected_version]");
      data.append("expected_version", version ? version.value : "");
      TEXT_FIELDS.forEach(function (name) {
        var field = form.elements[name];
        if (field) data.append(name, field.value);
      });
      saving = true;
      textDirty = false;
      fetch(url, { method: "POST", body: data, credentials: "same-origin" })
        .then(function (response) {
          return response.json().then(function (body) {
            return { ok: response.ok, body: body };
          });
        })
        .then(function (result) {
          if (!result.ok) throw new Error(result.body.error || "");
          if (version) version.value = result.body.version;
          status.textContent = status.dataset.savedLabel + " " + result.body.saved_at;
          status.classList.remove("autosave-failed");
          if (!otherDirty && !textDirty) dirty = false;
        })
        .catch(function (error) {
          textDirty = true;
          status.textContent = status.dataset.failedLabel + (error.message ? "：" + error.message : "");
          status.classList.add("autosave-failed");
        })
        .then(function () {
          saving = false;
        });
    }

    window.setInterval(autosave, INTERVAL);
    form.addEventListener("focusout", function (event) {
      if (event.target && isText(event.target)) autosave();
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
