// Progressive enhancement only: every page works without this file.

// After htmx swaps in a new step: bring it into view if the page was scrolled past its top (a
// long list), move focus to the first error, else to the question, and say what changed in the
// live region, so keyboard and screen-reader users land on the new content.
document.addEventListener("htmx:afterSettle", function () {
  var step = document.getElementById("step");
  if (!step) return;
  if (step.dataset.title) document.title = step.dataset.title;
  var target = step.querySelector("[data-focus-first]") || step.querySelector("h1");
  if (step.getBoundingClientRect().top < 0) step.scrollIntoView({ block: "start" });
  if (target) {
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: true });
  }
  var announcer = document.getElementById("announcer");
  var progress = step.querySelector("#progress-label");
  if (announcer && target) {
    announcer.textContent = (progress ? progress.textContent + " " : "") + target.textContent;
  }
});

// While a form is on its way its button says so (aria-busy, a spinner in the CSS). htmx
// disables the button of a step (hx-disabled-elt) and enables it again if the step stays.
function busy(form, on) {
  form.querySelectorAll("button[type=submit]").forEach(function (button) {
    if (on) button.setAttribute("aria-busy", "true");
    else button.removeAttribute("aria-busy");
  });
}
document.addEventListener("htmx:beforeRequest", function (event) {
  if (event.target.tagName === "FORM") busy(event.target, true);
});
document.addEventListener("htmx:afterRequest", function (event) {
  if (event.target.tagName === "FORM") busy(event.target, false);
});

// Plain forms (no htmx): a second tap must not send the form again. The button is disabled
// only after the browser has read the form, so that its own name and value are still sent.
document.addEventListener("submit", function (event) {
  var form = event.target;
  if (event.defaultPrevented) return;
  if (form.dataset.sending) {
    event.preventDefault();
    return;
  }
  form.dataset.sending = "1";
  var button = event.submitter;
  if (button) {
    button.setAttribute("aria-busy", "true");
    setTimeout(function () {
      button.disabled = true;
    });
  }
});
// Back to a page from the browser's cache: its forms can be sent again.
window.addEventListener("pageshow", function (event) {
  if (!event.persisted) return;
  document.querySelectorAll("form[data-sending]").forEach(function (form) {
    delete form.dataset.sending;
    form.querySelectorAll("[aria-busy]").forEach(function (button) {
      button.removeAttribute("aria-busy");
      button.disabled = false;
    });
  });
});

// Share buttons, each shown only where it works; the LINE and X links and the link as text work
// without them. The share sheet: the phone's own list of apps (navigator.share).
document.querySelectorAll("[data-share-url]").forEach(function (button) {
  var data = { text: button.getAttribute("data-share-text"), url: button.getAttribute("data-share-url") };
  if (!navigator.share || (navigator.canShare && !navigator.canShare(data))) return;
  button.hidden = false;
  button.addEventListener("click", function () {
    // Closing the sheet without sharing rejects the promise: nothing to do then.
    navigator.share(data).catch(function () {});
  });
});

// Copy: with the clipboard API only; if writing fails, the link is selected for copying by hand.
if (navigator.clipboard) {
  document.querySelectorAll("[data-copy]").forEach(function (button) {
    var field = document.getElementById(button.getAttribute("data-copy"));
    button.hidden = false;
    // The button copies the link: the fold that shows it for copying by hand is not needed.
    var fallback = field.closest("[data-copy-fallback]");
    if (fallback) fallback.hidden = true;
    button.addEventListener("click", function () {
      navigator.clipboard.writeText(field.textContent.trim()).then(
        function () {
          button.textContent = button.getAttribute("data-copied");
        },
        function () {
          var fallback = field.closest("[data-copy-fallback]");
          if (fallback) {
            fallback.hidden = false;
            fallback.open = true;
          }
          getSelection().selectAllChildren(field);
        }
      );
    });
  });
}
