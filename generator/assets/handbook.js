/* Handbook page helpers: the "Print / Save as PDF" action and accessible names for
   navigation landmarks. No third-party requests. */
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
  function bind(root) {
    name(root);
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
