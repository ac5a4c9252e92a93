// Small behaviours kept out of inline scripts so the Content-Security-Policy can forbid them.
document.addEventListener("click", function (event) {
  var target = event.target.closest("[data-confirm]");
  if (target && !window.confirm(target.getAttribute("data-confirm"))) {
    event.preventDefault();
    event.stopImmediatePropagation();
  }
}, true);

// Inline checks ([data-inline-check]) answer with the whole form re-rendered. If the user typed
// on while the check was under way, its answer is stale: drop it rather than lose the typing.
(function () {
  function formState(elt) {
    var form = elt.closest("form");
    return form ? new URLSearchParams(new FormData(form)).toString() : "";
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-inline-check")) {
      elt.xsAskedWith = formState(elt);
    }
  });
  document.addEventListener("htmx:beforeSwap", function (event) {
    var config = event.detail.requestConfig;
    var elt = config && config.elt;
    if (elt && elt.hasAttribute && elt.hasAttribute("data-inline-check")
        && elt.isConnected && formState(elt) !== elt.xsAskedWith) {
      event.detail.shouldSwap = false;
    }
  });
})();
