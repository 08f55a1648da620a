/* Feedback forms: send answers in the background and announce the result.
   Progressive enhancement only: without this script the forms post normally.
   Event delegation on document keeps it working across instant navigation.
   An invitation link (?invite=TOKEN#form-id) puts its token into the form of its
   commitment and takes it out of the address bar. */
(function () {
  "use strict";

  var FIELDS = ["key", "rating", "comment", "priority", "team", "website", "return_to", "invite"];
  var INVITE = "invite";
  var SENT = "Thank you! Your feedback was recorded anonymously.";
  var FAILED = "Your feedback could not be sent. Please try again later.";

  if (!window.fetch || !window.FormData || window.__hbFeedback) return;
  window.__hbFeedback = true;

  function payload(form) {
    var data = new FormData(form);
    var body = {};
    FIELDS.forEach(function (name) {
      var value = data.get(name);
      if (value === null || (value === "" && name !== "website")) return;
      body[name] = name === "rating" ? parseInt(value, 10) : value;
    });
    return JSON.stringify(body);
  }

  function text(form, name, fallback) {
    return form.getAttribute("data-hb-" + name) || fallback;
  }

  function announce(form, message, failed) {
    var status = form.querySelector("[data-hb-status], [role=status]");
    if (!status) return;
    status.classList.toggle("hb-feedback__status--error", failed);
    status.textContent = "";
    window.setTimeout(function () { status.textContent = message; }, 50);
  }

  function errorMessage(form, response) {
    var failed = text(form, "failed", FAILED);
    return response.json().then(function (body) {
      return body && typeof body.message === "string"
        ? text(form, "not-sent", "Not sent:") + " " + body.message + "."
        : failed;
    }, function () { return failed; });
  }

  function invitedKey(token) {
    try {
      var part = token.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
      return window.atob(part + "===".slice((part.length + 3) % 4)).split("#")[0];
    } catch (e) {
      return null;
    }
  }

  function takeInvitation() {
    if (!window.URLSearchParams || !window.history || !window.history.replaceState) return;
    var params = new URLSearchParams(window.location.search);
    var token = params.get(INVITE);
    if (!token) return;
    var key = invitedKey(token);
    var forms = document.querySelectorAll("form[data-hb-feedback]");
    Array.prototype.forEach.call(forms, function (form) {
      var field = form.querySelector("input[name=key]");
      if (!field || field.value !== key) return;
      var input = form.querySelector("input[name=" + INVITE + "]") || document.createElement("input");
      input.type = "hidden";
      input.name = INVITE;
      input.value = token;
      form.appendChild(input);
    });
    params.delete(INVITE);
    var query = params.toString();
    window.history.replaceState(window.history.state, "",
      window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function send(form) {
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: payload(form),
      credentials: "same-origin",  /* a sign-on proxy in front of the receiver needs its cookie */
      referrerPolicy: "strict-origin-when-cross-origin"
    }).then(function (response) {
      if (response.ok) {
        form.reset();
        var invite = form.querySelector("input[name=" + INVITE + "]");
        if (invite) invite.parentNode.removeChild(invite);  /* an invitation counts once */
        announce(form, text(form, "sent", SENT), false);
        return;
      }
      return errorMessage(form, response).then(function (message) {
        announce(form, message, true);
        if (button) button.disabled = false;
      });
    }, function () {
      announce(form, text(form, "failed", FAILED), true);
      if (button) button.disabled = false;
    }).then(function () {
      form.removeAttribute("aria-busy");
    });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", takeInvitation);
  } else {
    takeInvitation();
  }

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-hb-feedback")) return;
    event.preventDefault();
    send(form);
  });
})();
