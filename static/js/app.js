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

// htmx does not swap 403/404/5xx answers into the page; show their message as a flash instead,
// so a failed request never looks like nothing happened.
document.addEventListener("htmx:responseError", function (event) {
  var xhr = event.detail.xhr;
  var holder = document.querySelector(".flashes");
  if (!holder) {
    holder = document.createElement("div");
    holder.className = "flashes";
    holder.setAttribute("role", "status");
    var main = document.querySelector("main.page");
    main.insertBefore(holder, main.firstChild);
  }
  var box = document.createElement("p");
  box.className = "flash flash-error";
  var parsed = new DOMParser().parseFromString(xhr.responseText || "", "text/html");
  var title = parsed.querySelector(".error-box h2");
  box.textContent = title ? title.textContent : (xhr.status + " " + (xhr.statusText || ""));
  holder.appendChild(box);
});
