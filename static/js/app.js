// Progressive enhancement only: every page works without this file.
// After htmx swaps in a new step, move focus to the first error, else to the question, and say
// what changed in the live region, so keyboard and screen-reader users land on the new content.
document.addEventListener("htmx:afterSettle", function () {
  var step = document.getElementById("step");
  if (!step) return;
  var target = step.querySelector("[data-focus-first]") || step.querySelector("h1");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
  var announcer = document.getElementById("announcer");
  var progress = step.querySelector("#progress-label");
  if (announcer && target) {
    announcer.textContent = (progress ? progress.textContent + " " : "") + target.textContent;
  }
});
