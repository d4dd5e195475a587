// Small enhancements only: every page works without this script.
document.addEventListener("DOMContentLoaded", () => {
  // After a failed submission, take keyboard and screen-reader focus to the error summary.
  const summary = document.querySelector("[data-error-summary]");
  if (summary) {
    summary.focus();
  }
});
