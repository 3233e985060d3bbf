// Progressive enhancements only: every page works without this script.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to an error summary so that screen reader users hear what to correct.
  const summary = document.querySelector("[data-autofocus]");
  if (summary) summary.focus();
});
