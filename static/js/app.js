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
    // Nor may a check replace a form that is being submitted (leaving the submission's answer,
    // e.g. the offer's confirmation, to land in the detached old form): blur runs the check
    // just before the click submits.
    var form = elt && elt.closest && elt.closest("form");
    if (form && form.xsSubmitting && elt !== form) {
      event.detail.shouldSwap = false;
    }
  });
  document.addEventListener("htmx:beforeRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.tagName === "FORM") { elt.xsSubmitting = true; }
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    var elt = event.detail.elt;
    if (elt && elt.tagName === "FORM") { elt.xsSubmitting = false; }
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

// Phone layout (issue 21): the navigation opens from a menu button; the workbench's input
// groups fold (tap a group's title to open it). Without JavaScript everything stays open.
document.documentElement.classList.add("js");
document.addEventListener("click", function (event) {
  var toggle = event.target.closest(".menu-toggle");
  if (toggle) {
    var bar = toggle.closest(".topbar");
    var open = bar.classList.toggle("open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
    return;
  }
  var legend = event.target.closest(".wb-group.foldable > legend");
  if (legend) {
    var group = legend.parentElement;
    var folded = group.classList.toggle("folded");
    legend.setAttribute("aria-expanded", folded ? "false" : "true");
  }
});
document.addEventListener("keydown", function (event) {
  var legend = event.target.closest && event.target.closest(".wb-group.foldable > legend");
  if (legend && (event.key === "Enter" || event.key === " ")) {
    event.preventDefault();
    legend.click();
  }
});
(function () {
  function fold() {
    if (!window.matchMedia("(max-width: 720px)").matches) { return; }
    document.querySelectorAll(".wb-form .wb-group:not(.foldable):not(.wb-meta-group)").forEach(function (group) {
      var legend = group.querySelector(":scope > legend");
      if (!legend || group.querySelector(".has-error")) { return; }
      group.classList.add("foldable", "folded");
      legend.setAttribute("role", "button");
      legend.setAttribute("tabindex", "0");
      legend.setAttribute("aria-expanded", "false");
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", fold);
  } else {
    fold();
  }
})();

// The workbench warns before leaving with edits that were not saved (issue 21).
(function () {
  var form = document.getElementById("wb-form");
  if (!form) { return; }
  var saved = new URLSearchParams(new FormData(form)).toString();
  function current() { return new URLSearchParams(new FormData(form)).toString(); }
  function strip(state) {  // the version moves on each save; it is no edit
    var params = new URLSearchParams(state);
    params.delete("version");
    params.delete("csrf_token");
    return params.toString();
  }
  document.addEventListener("htmx:afterRequest", function (event) {
    var path = event.detail.requestConfig && event.detail.requestConfig.path;
    if (event.detail.successful && path && /\/save$/.test(path)
        && !document.querySelector("#save-status .form-error")) {
      saved = current();
    }
  });
  form.addEventListener("submit", function (event) {
    var submitter = event.submitter;
    if (submitter && submitter.value === "save") { saved = current(); }
  });
  window.addEventListener("beforeunload", function (event) {
    if (strip(current()) !== strip(saved)) {
      event.preventDefault();
      event.returnValue = "";
    }
  });
})();

// "Back to today's rules" (issue 21): a button per term puts the baseline's value back into its
// field, one above the terms does it for all of them. Nothing is saved until the user saves; the
// form's input event recalculates, and the unsaved-edits warning above sees the change.
(function () {
  var form = document.getElementById("wb-form");
  if (!form) { return; }
  function buttons() { return form.querySelectorAll(".reset-term[data-reset]"); }
  function field(button) { return document.getElementById(button.getAttribute("data-reset")); }
  function differs(button) {
    var input = field(button);
    return input && input.value.trim() !== button.getAttribute("data-today");
  }
  function refresh() {
    var any = false;
    buttons().forEach(function (button) {
      var on = differs(button);
      button.hidden = !on;
      any = any || on;
    });
    var all = document.getElementById("reset-all");
    if (all) { all.hidden = !any; }
  }
  function reset(list) {
    var last = null;
    list.forEach(function (button) {
      if (!differs(button)) { return; }
      field(button).value = button.getAttribute("data-today");
      last = field(button);
    });
    if (last) {
      last.dispatchEvent(new Event("input", { bubbles: true }));
      last.dispatchEvent(new Event("change", { bubbles: true }));
    }
    refresh();
  }
  form.addEventListener("click", function (event) {
    var one = event.target.closest(".reset-term[data-reset]");
    if (one) {
      var input = field(one);
      reset([one]);
      if (input) { input.focus(); }
    } else if (event.target.closest("#reset-all")) {
      reset(Array.prototype.slice.call(buttons()));
    }
  });
  form.addEventListener("input", refresh);
  form.addEventListener("change", refresh);
  refresh();
})();
