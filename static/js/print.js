// The print view's "Print" button. A file of its own: the Content-Security-Policy allows no inline handler.
document.querySelectorAll("[data-print-page]").forEach((button) => {
  button.addEventListener("click", () => window.print());
});
