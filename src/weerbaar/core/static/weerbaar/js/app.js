// Weerbaar: small progressive enhancements; every page works without JavaScript.
document.addEventListener("DOMContentLoaded", () => {
  // Move focus to the first invalid field so keyboard and screen-reader users land on the problem.
  const invalid = document.querySelector("[aria-invalid='true']");
  if (invalid) invalid.focus();
});
