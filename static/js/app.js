// Progressive enhancement only: every page works without this file.
// After htmx swaps in a new step, move focus to the first error, else to the question, and say
// what changed in the live region, so keyboard and screen-reader users land on the new content.
document.addEventListener("htmx:afterSettle", function () {
  var step = document.getElementById("step");
  if (!step) return;
  if (step.dataset.title) document.title = step.dataset.title;
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

// Copy-link buttons: shown only when the clipboard can be used; the link stays in a read-only
// field for copying by hand either way.
if (navigator.clipboard) {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () {
      var field = document.getElementById(button.getAttribute("data-copy"));
      navigator.clipboard.writeText(field.value).then(function () {
        button.textContent = button.getAttribute("data-copied");
      });
    });
  });
}
