/* Feedback forms: send answers in the background and announce the result.
   Progressive enhancement only: without this script the forms post normally.
   Event delegation on document keeps it working across instant navigation. */
(function () {
  "use strict";

  var FIELDS = ["key", "rating", "comment", "priority", "team", "website", "return_to"];
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

  function send(form) {
    var button = form.querySelector("button[type=submit], button:not([type])");
    if (button) button.disabled = true;
    form.setAttribute("aria-busy", "true");
    fetch(form.action, {
      method: "POST",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: payload(form),
      credentials: "omit",
      referrerPolicy: "strict-origin-when-cross-origin"
    }).then(function (response) {
      if (response.ok) {
        form.reset();
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

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-hb-feedback")) return;
    event.preventDefault();
    send(form);
  });
})();
