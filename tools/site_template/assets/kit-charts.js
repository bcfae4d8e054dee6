// Draws every chart of a static page with the bundled Vega (assets/vega.js): no kernel, no network.
// Each chart is a <script type="application/json" data-kit-chart="vega-lite|vega"> block holding its
// spec. window.kitCharts lists {spec, view, error} so that tests can read a chart's data.
(function () {
  window.kitCharts = [];
  function draw() {
    document.querySelectorAll('script[type="application/json"][data-kit-chart]').forEach(function (block) {
      var target = document.createElement("div");
      target.className = "kit-chart-view";
      block.parentNode.insertBefore(target, block);
      var entry = { spec: JSON.parse(block.textContent), view: null, error: null };
      window.kitCharts.push(entry);
      entry.ready = vegaEmbed(target, entry.spec, {
        mode: block.getAttribute("data-kit-chart"),
        actions: { export: true, source: true, compiled: false, editor: false }
      }).then(function (result) {
        entry.view = result.view;
        // vega-embed's menu button is a <summary> with only an icon: give it a name (WCAG 4.1.2).
        target.querySelectorAll("details > summary").forEach(function (button) {
          button.setAttribute("aria-label", "Chart menu: save the chart as an image or view its source");
        });
      }).catch(function (error) {
        entry.error = String(error);
        target.textContent = "This chart could not be drawn: " + error;
      });
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
