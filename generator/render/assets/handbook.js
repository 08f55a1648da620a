/* Handbook page helpers: the "Print / Save as PDF" action, accessible names for
   navigation landmarks, keyboard access to tables that scroll and the printed page's
   address. No third-party requests. */
(function () {
  "use strict";
  /* Give Material's navigation sections and search dialog accessible names. */
  function name(root) {
    root.querySelectorAll("nav[aria-labelledby]").forEach(function (nav) {
      var label = document.getElementById(nav.getAttribute("aria-labelledby"));
      if (label && label.textContent.trim()) { return; }
      var title = nav.querySelector(":scope > .md-nav__title");
      if (title && title.textContent.trim()) {
        nav.removeAttribute("aria-labelledby");
        nav.setAttribute("aria-label", title.textContent.trim());
      }
    });
    var search = root.querySelector(".md-search[role=dialog]");
    if (search && !search.hasAttribute("aria-label")) { search.setAttribute("aria-label", "Search"); }
  }
  /* The nearest heading before an element, for naming what follows it. */
  function heading(element) {
    for (var node = element; node && node !== document.body; node = node.parentElement) {
      for (var prev = node.previousElementSibling; prev; prev = prev.previousElementSibling) {
        if (/^H[1-6]$/.test(prev.tagName)) { return prev; }
      }
    }
    return null;
  }
  /* An element's words, without the headings' permalink signs. */
  function words(element) {
    if (!element) { return ""; }
    var copy = element.cloneNode(true);
    copy.querySelectorAll(".headerlink").forEach(function (link) { link.remove(); });
    return copy.textContent.replace(/\s+/g, " ").trim();
  }
  /* Tables that scroll sideways: reachable by keyboard, each region named uniquely by its
     heading and caption. */
  function scrollable(root) {
    var used = {};
    root.querySelectorAll(".md-typeset__scrollwrap").forEach(function (wrap) {
      if (wrap.hasAttribute("tabindex")) { used[wrap.getAttribute("aria-label")] = 1; return; }
      var parts = [words(heading(wrap)), words(wrap.querySelector("caption"))];
      var label = parts.filter(Boolean).join(": ") || document.title;
      var unique = label;
      for (var n = 2; used[unique]; n += 1) { unique = label + " (" + n + ")"; }
      used[unique] = 1;
      wrap.setAttribute("role", "region");
      wrap.setAttribute("tabindex", "0");
      wrap.setAttribute("aria-label", unique);
    });
  }
  /* A printed page's address, when the site does not know its own (no site_url): the one
     the reader opened it at, without the fragment. */
  function address(root) {
    root.querySelectorAll("[data-hb-address]").forEach(function (element) {
      element.textContent = window.location.href.split("#")[0];
    });
  }
  function bind(root) {
    name(root);
    scrollable(root);
    address(root);
    root.querySelectorAll("button[data-hb-print]").forEach(function (button) {
      button.hidden = false;
      if (button.dataset.hbBound) { return; }
      button.dataset.hbBound = "1";
      button.addEventListener("click", function () { window.print(); });
    });
  }
  if (typeof window.document$ !== "undefined" && window.document$.subscribe) {
    window.document$.subscribe(function () { bind(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { bind(document); });
  } else {
    bind(document);
  }
})();
