/* The desk's one script (loaded on every admin page; no inline script anywhere, so the
 * desk works under Content-Security-Policy script-src 'self').
 *
 * 1. Leaving a change form with unsaved edits asks first (beforeunload).
 * 2. A draft saves itself: every 30 s and when a text field loses focus, the text fields are
 *    POSTed to the article's autosave address (a new server-side revision of the draft), and
 *    "已自动保存 15:04" is shown. The form's hidden version follows, so a later save by hand is
 *    not refused as stale.
 * 3. A new story, before its first save, is kept in this browser (localStorage) as it is
 *    typed, so a crash, a closed tab, an expired login or a dropped connection on the save
 *    loses nothing: the next time its writer opens 写新稿 the desk offers to restore it
 *    (恢复) or drop it (放弃). The copy is the writer's own (the key holds their user id),
 *    is removed once the story is saved, on logging out, and after a week.
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

  var DRAFT_PREFIX = "newsroom:new-article:";
  var DRAFT_DAYS = 7;

  function storage() {
    try {
      var store = window.localStorage;
      store.getItem(DRAFT_PREFIX);
      return store;
    } catch (error) {
      return null; // storage disabled: the form works as it always did
    }
  }

  function readDraft(store, key) {
    try {
      var draft = JSON.parse(store.getItem(key) || "null");
      if (draft && draft.fields && Date.now() - draft.at < DRAFT_DAYS * 86400000) return draft;
    } catch (error) {
      /* unreadable: dropped below */
    }
    store.removeItem(key);
    return null;
  }

  function draftKeys(store) {
    var keys = [];
    for (var i = 0; i < store.length; i++) {
      if (store.key(i).indexOf(DRAFT_PREFIX) === 0) keys.push(store.key(i));
    }
    return keys;
  }

  function clock(ms) {
    var at = new Date(ms);
    return ("0" + at.getHours()).slice(-2) + ":" + ("0" + at.getMinutes()).slice(-2);
  }

  // Any desk page after a new story's form was sent: saved (the admin says so, or this is
  // the story's own page) or not (the copy stays, to be offered again).
  function settleSentDrafts(store, onNewStoryForm) {
    if (/\/logout\/$/.test(window.location.pathname)) {
      draftKeys(store).forEach(function (key) {
        store.removeItem(key);
      });
      return;
    }
    if (!document.getElementById("user-tools")) return; // the login page: decide after it
    var saved =
      document.querySelector(".messagelist .success") ||
      /\/articles\/article\/\d+\/change\/$/.test(window.location.pathname);
    var refused = onNewStoryForm && document.querySelector(".errornote");
    draftKeys(store).forEach(function (key) {
      var draft = readDraft(store, key);
      if (!draft || !draft.sent) return;
      if (saved && !refused) {
        store.removeItem(key);
      } else {
        draft.sent = false;
        store.setItem(key, JSON.stringify(draft));
      }
    });
  }

  function keepNewStory(store) {
    var box = document.getElementById("local-draft");
    var form = changeForm();
    if (!box || !form) return;
    var key = box.dataset.draftKey;
    var fields = TEXT_FIELDS.filter(function (name) {
      return form.elements[name];
    });
    function values() {
      var now = {};
      fields.forEach(function (name) {
        now[name] = form.elements[name].value;
      });
      return now;
    }
    function blank(now) {
      return fields.every(function (name) {
        return !now[name].trim();
      });
    }
    var status = document.getElementById("local-draft-status");
    var timer = null;
    function keep() {
      timer = null;
      var now = values();
      if (blank(now)) {
        store.removeItem(key);
        return;
      }
      var at = Date.now();
      try {
        store.setItem(key, JSON.stringify({ fields: now, at: at, sent: false }));
      } catch (error) {
        return; // storage full: nothing more to do here
      }
      if (status) status.textContent = status.dataset.keptLabel + " " + clock(at);
    }
    form.addEventListener("input", function (event) {
      if (!event.target || fields.indexOf(event.target.name) === -1) return;
      if (timer) window.clearTimeout(timer);
      timer = window.setTimeout(keep, 500);
    });
    window.addEventListener("pagehide", function () {
      if (timer) keep();
    });
    form.addEventListener("submit", function () {
      if (timer) {
        window.clearTimeout(timer);
        timer = null;
      }
      var now = values();
      if (!blank(now)) {
        store.setItem(key, JSON.stringify({ fields: now, at: Date.now(), sent: true }));
      }
    });

    var draft = readDraft(store, key);
    if (!draft || !blank(values())) return; // nothing kept, or the form came back filled
    var offer = document.createElement("p");
    var what = draft.fields.headline ? "《" + draft.fields.headline + "》" : "";
    offer.textContent = box.dataset.foundLabel + what + "（" + clock(draft.at) + "）";
    var restore = document.createElement("button");
    restore.type = "button";
    restore.className = "button local-draft-restore";
    restore.textContent = box.dataset.restoreLabel;
    var drop = document.createElement("button");
    drop.type = "button";
    drop.className = "button local-draft-drop";
    drop.textContent = box.dataset.dropLabel;
    box.appendChild(offer);
    box.appendChild(restore);
    box.appendChild(drop);
    box.hidden = false;
    restore.addEventListener("click", function () {
      fields.forEach(function (name) {
        if (typeof draft.fields[name] === "string") {
          form.elements[name].value = draft.fields[name];
          form.elements[name].dispatchEvent(new Event("input", { bubbles: true }));
        }
      });
      box.hidden = true;
      form.elements[fields[0]].focus();
    });
    drop.addEventListener("click", function () {
      store.removeItem(key);
      box.hidden = true;
    });
  }

  function start() {
    init();
    var store = storage();
    if (!store) return;
    var onNewStoryForm = !!document.getElementById("local-draft");
    settleSentDrafts(store, onNewStoryForm);
    if (onNewStoryForm) keepNewStory(store);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
