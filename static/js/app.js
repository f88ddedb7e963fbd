// Progressive enhancement only: every page works without this file.
// After htmx swaps in a new step, move focus to its heading (or to the first error) so keyboard
// and screen-reader users land on what changed.
document.addEventListener("htmx:afterSettle", function (event) {
  var region = event.detail.target;
  if (!region) return;
  var target = region.querySelector("[data-focus-first]") || region.querySelector("h1, h2, legend");
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus();
  }
});
