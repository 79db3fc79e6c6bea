// Never lose typed work (issue 17). Pages declare what they need with data- attributes (the
// Content-Security-Policy refuses inline scripts):
//   <button data-confirm="question">             asks before the form is sent (submit, withdraw)
//   <form data-autosave="url" [data-autosave-record="part|report"]>
//       saves a draft while the user types: POSTs the form's fields (not its files) to the url a
//       moment after the last keystroke; the answer's version goes into the form's version field
//       (and every [data-version-for=record] field), so the next save is not refused as stale. A
//       conflict (409: someone else saved since) is shown and autosaving stops — never overwritten.
//       The form's own buttons wait for a save in flight.
//   #session-warning (templates/_session_warning.html)
//       warns before the idle logout and offers "stay signed in" (accounts.views.session_status);
//       once signed out it offers to sign in again, back to this page (what was typed is on the
//       server: autosaved, or kept by accounts.stash when a form was posted after the logout).
(function () {
  "use strict";
  var box = document.getElementById("session-warning");
  var text = function (name) { return box ? box.getAttribute("data-" + name) || "" : ""; };

  document.addEventListener("click", function (event) {
    var el = event.target.closest ? event.target.closest("[data-confirm]") : null;
    if (el && !window.confirm(el.getAttribute("data-confirm"))) {
      event.preventDefault();
      event.stopPropagation();
    }
  }, true);

  // ------------------------------------------------------------------ autosave
  var savers = [];

  function Saver(form) {
    this.form = form;
    this.url = form.getAttribute("data-autosave");
    this.record = form.getAttribute("data-autosave-record");
    this.status = form.querySelector("[data-autosave-status]");
    this.timer = null;
    this.dirty = false;
    this.inflight = null;
    this.stopped = false;
    var saver = this;
    var changed = function (event) {
      if (event.target.type === "file" || saver.stopped) return;
      saver.dirty = true;
      clearTimeout(saver.timer);
      saver.timer = setTimeout(function () { saver.save(); }, 2000);
    };
    form.addEventListener("input", changed);
    form.addEventListener("change", changed);
  }

  Saver.prototype.say = function (message, bad) {
    if (!this.status) return;
    this.status.textContent = message;
    this.status.classList.toggle("text-danger", !!bad);
  };

  Saver.prototype.setVersion = function (version) {
    var fields = this.record ? document.querySelectorAll('[data-version-for="' + this.record + '"]') : [];
    Array.prototype.forEach.call(fields, function (field) { field.value = version; });
    if (this.form.elements.version) this.form.elements.version.value = version;
  };

  Saver.prototype.conflict = function (message) {
    this.stopped = true;
    this.say(message, true);
    var alert = document.createElement("div");
    alert.className = "alert alert-danger";
    alert.setAttribute("role", "alert");
    alert.textContent = message;
    this.form.insertBefore(alert, this.form.firstChild);
  };

  Saver.prototype.save = function () {
    var saver = this;
    clearTimeout(saver.timer);
    if (saver.inflight) return saver.inflight.then(function () { return saver.save(); });
    if (saver.stopped || !saver.dirty) return Promise.resolve();
    saver.dirty = false;
    var data = new FormData(saver.form);
    Array.prototype.forEach.call(saver.form.querySelectorAll("input[type=file]"), function (input) {
      data.delete(input.name);  // files go with the form's own save, with the text
    });
    saver.say(text("saving"));
    saver.inflight = fetch(saver.url, {method: "POST", body: data, credentials: "same-origin",
                                       headers: {"Accept": "application/json"}})
      .then(function (response) {
        if ((response.headers.get("Content-Type") || "").indexOf("json") < 0) {
          saver.stopped = true;  // signed out: the fields were kept for this page (accounts.stash)
          saver.say(text("signed-out"), true);
          sessionEnded();
          return null;
        }
        return response.json().then(function (answer) {
          if (response.ok) {
            saver.setVersion(answer.version);
            saver.say(answer.message);
            sessionActive();
          } else if (response.status === 409) {
            saver.conflict(answer.error);
          } else {
            saver.say(answer.error, true);
          }
        });
      })
      .catch(function () {
        saver.dirty = true;
        saver.say(text("offline"), true);
      })
      .then(function () { saver.inflight = null; });
    return saver.inflight;
  };

  Array.prototype.forEach.call(document.querySelectorAll("form[data-autosave]"), function (form) {
    savers.push(new Saver(form));
  });

  // A form sent while a draft is being saved waits for that save (so its version is the saved one).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.hasAttribute("data-flushed")) return;
    var pending = savers.filter(function (saver) { return saver.inflight || (saver.dirty && saver.form !== form); });
    savers.forEach(function (saver) { if (saver.form === form) { clearTimeout(saver.timer); saver.dirty = false; } });
    if (!pending.length) return;
    event.preventDefault();
    var submitter = event.submitter;
    Promise.all(pending.map(function (saver) { return saver.save(); })).then(function () {
      form.setAttribute("data-flushed", "");
      if (form.requestSubmit) form.requestSubmit(submitter || undefined); else form.submit();
    });
  });

  // ------------------------------------------------------------------ idle warning
  var WARN_SECONDS = 120;
  var checkTimer = null;
  var tickTimer = null;
  var left = 0;

  function sessionActive() {
    if (box && !box.hidden) check();
  }

  function schedule(seconds) {
    clearTimeout(checkTimer);
    checkTimer = setTimeout(check, Math.max(1, seconds - WARN_SECONDS) * 1000);
  }

  function sessionEnded() {
    if (!box) return;
    clearTimeout(checkTimer);
    clearTimeout(tickTimer);
    box.hidden = false;
    box.querySelector("[data-when-active]").hidden = true;
    box.querySelector("[data-when-ended]").hidden = false;
    box.querySelector("[data-stay]").hidden = true;
    var relogin = box.querySelector("[data-relogin]");
    relogin.href = box.getAttribute("data-login") + "?next=" + encodeURIComponent(location.pathname + location.search);
    relogin.hidden = false;
    savers.forEach(function (saver) { saver.stopped = true; });
  }

  function tick() {
    clearTimeout(tickTimer);
    box.querySelector("[data-seconds]").textContent = Math.max(0, left);
    if (left <= 0) {
      tickTimer = setTimeout(check, 2000);
      return;
    }
    left -= 1;
    tickTimer = setTimeout(tick, 1000);
  }

  function isJson(response) {
    return (response.headers.get("Content-Type") || "").indexOf("json") >= 0;
  }

  function check() {
    fetch(box.getAttribute("data-url"), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (response) {
        if (response.status === 401 || !isJson(response)) { sessionEnded(); return; }
        return response.json().then(function (answer) {
          if (answer.remaining > WARN_SECONDS + 5) {
            clearTimeout(tickTimer);
            box.hidden = true;
            schedule(answer.remaining);
          } else {
            left = answer.remaining;
            box.hidden = false;
            tick();
          }
        });
      })
      .catch(function () { schedule(WARN_SECONDS + 60); });
  }

  if (box) {
    box.querySelector("[data-stay]").addEventListener("click", function () {
      var data = new FormData();
      data.append("csrfmiddlewaretoken", box.getAttribute("data-csrf"));
      fetch(box.getAttribute("data-url"), {method: "POST", body: data, credentials: "same-origin",
                                           headers: {"Accept": "application/json"}})
        .then(function (response) {
          if (response.status === 401 || !isJson(response)) { sessionEnded(); return; }
          return response.json().then(function (answer) {
            clearTimeout(tickTimer);
            box.hidden = true;
            schedule(answer.remaining);
          });
        });
    });
    setTimeout(check, 60 * 1000);  // then as the answers say
  }
}());
