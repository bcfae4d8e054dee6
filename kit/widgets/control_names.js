// Accessible names for what the kit shows (WCAG 4.1.2): ipywidgets gives a slider's handle
// role="slider" but no name, and vega-embed's chart menu is a <summary> with only an icon. Each is
// named after what a sighted learner reads. One watcher per page, started by the kit's browser link
// (JupyterLab and Voila) and by the kit's Voila template (pages without a slider panel).
(function () {
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
