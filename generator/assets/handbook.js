/* Handbook page helpers: the "Print / Save as PDF" action. No third-party requests. */
(function () {
  "use strict";
  function bind(root) {
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
