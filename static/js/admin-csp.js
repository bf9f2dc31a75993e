// Wagtail's date and time pickers start from an inline <script>, which the Content-Security-Policy
// refuses; the project's copies of those widget templates leave a <template data-csp-init> marker
// instead, and this starts the picker, for the page as loaded and for forms added later (modals).
(function () {
  const STARTERS = ["initDateChooser", "initTimeChooser", "initDateTimeChooser"];

  function start(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("template[data-csp-init]").forEach((marker) => {
      const starter = window[marker.dataset.cspInit];
      if (!STARTERS.includes(marker.dataset.cspInit) || typeof starter !== "function") return;
      marker.remove();
      starter(marker.dataset.cspTarget, JSON.parse(marker.dataset.cspConfig));
    });
  }

  document.addEventListener("DOMContentLoaded", () => {
    start(document);
    new MutationObserver((changes) => {
      changes.forEach((change) => change.addedNodes.forEach((node) => start(node.parentNode || node)));
    }).observe(document.body, { childList: true, subtree: true });
  });
})();

// A button with data-welfare-confirm (the editor's "Restart from the first step") runs only after the
// user confirms; listening in the capture phase stops Wagtail's own handlers too when they do not.
document.addEventListener(
  "click",
  (event) => {
    const button = event.target.closest && event.target.closest("[data-welfare-confirm]");
    if (button && !window.confirm(button.dataset.welfareConfirm)) {
      event.preventDefault();
      event.stopImmediatePropagation();
    }
  },
  true,
);
