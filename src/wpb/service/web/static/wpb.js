// Small progressive enhancements; every page works without this file.
// Written for this project (no third-party code).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    // Move focus to the error summary so screen reader and keyboard users hear it first.
    var summary = document.querySelector(".foutsamenvatting[data-focus]");
    if (summary) {
      summary.focus();
    }
    // A link in the error summary focuses the field itself, not only scrolls to it.
    document.querySelectorAll(".foutsamenvatting a[href^='#']").forEach(function (link) {
      link.addEventListener("click", function (event) {
        var target = document.getElementById(link.getAttribute("href").slice(1));
        if (target) {
          event.preventDefault();
          if (!target.hasAttribute("tabindex") && !/^(INPUT|SELECT|TEXTAREA|BUTTON|A)$/.test(target.tagName)) {
            target.setAttribute("tabindex", "-1");
          }
          target.scrollIntoView({ block: "center" });
          target.focus();
        }
      });
    });
    // Forms that must not be sent twice (storing an upload): disable the button once sent.
    document.querySelectorAll("form[data-eenmalig]").forEach(function (form) {
      form.addEventListener("submit", function () {
        form.querySelectorAll("button[type='submit']").forEach(function (button) {
          button.disabled = true;
          button.setAttribute("aria-disabled", "true");
        });
      });
    });
  });
})();
