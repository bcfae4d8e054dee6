// Accessible names for what the kit shows (WCAG 4.1.2): ipywidgets gives a slider's handle
// role="slider" but no name, and vega-embed's chart menu is a <summary> with only an icon. Each is
// named after what a sighted learner reads. One watcher per page, started by the kit's browser link
// (JupyterLab and Voila) and by the kit's Voila template (pages without a slider panel).
// It also gives every widget control a clear focus ring (WCAG 2.4.7): a 3 px blue outline with a
// white halo, so it shows on light and dark themes (menus drew none; a slider only filled its disc).
(function () {
  var FOCUS_CSS = ".jupyter-widgets :is(select, input, button, textarea, [role=slider]):focus-visible, " +
    ".widget-slider [role=slider]:focus {outline: 3px solid #1a4fa0 !important; outline-offset: 2px; " +
    "box-shadow: 0 0 0 5px #ffffff;}";
  function focusRing() {
    if (document.getElementById("kit-focus-ring")) return;
    var style = document.createElement("style");
    style.id = "kit-focus-ring";
    style.textContent = FOCUS_CSS;
    document.head.appendChild(style);
  }
  function nameControls() {
    document.querySelectorAll(".widget-slider").forEach(function (slider) {
      var label = slider.querySelector(".widget-label");
      var text = label ? label.textContent.trim() : "";
      if (!text) return;
      slider.querySelectorAll('[role="slider"]').forEach(function (handle) {
        if (handle.getAttribute("aria-label") !== text) handle.setAttribute("aria-label", text);
      });
    });
    document.querySelectorAll(".vega-embed details > summary:not([aria-label])").forEach(function (button) {
      button.setAttribute("aria-label", "Chart menu: save the chart as an image or view its source");
    });
  }
  function watch() {
    if (window.kitNamesControls) return;
    window.kitNamesControls = true;
    focusRing();
    var queued = false;
    new MutationObserver(function () {
      if (queued) return;
      queued = true;
      requestAnimationFrame(function () { queued = false; nameControls(); });
    }).observe(document.body, { childList: true, subtree: true });
    nameControls();
  }
  try {
    if (document.body) watch(); else document.addEventListener("DOMContentLoaded", watch);
  } catch (error) {
    console.warn("kit control names:", error);
  }
})();
