// Draws every chart of a static page with the bundled Vega (assets/vega.js): no kernel, no network.
// Each chart is a <script type="application/json" data-kit-chart="vega-lite|vega"> block holding its
// spec. window.kitCharts lists {spec, view, error} so that tests can read a chart's data.
// Charts with the same data-kit-group follow the group's first chart: a param bound to a slider there
// is set in the others whenever it changes (one kit panel: its sliders move all of its charts).
(function () {
  window.kitCharts = [];
  function follow(entries) {
    var groups = {};
    entries.forEach(function (entry) {
      if (entry.group && entry.view) (groups[entry.group] = groups[entry.group] || []).push(entry);
    });
    Object.keys(groups).forEach(function (name) {
      var lead = groups[name][0], others = groups[name].slice(1);
      (lead.spec.params || []).forEach(function (param) {
        if (!param.bind) return;
        lead.view.addSignalListener(param.name, function (signal, value) {
          others.forEach(function (other) {
            try { other.view.signal(signal, value).runAsync(); } catch (error) { /* not a param there */ }
          });
        });
      });
    });
  }
  function draw() {
    document.querySelectorAll('script[type="application/json"][data-kit-chart]').forEach(function (block) {
      var target = document.createElement("div");
      target.className = "kit-chart-view";
      block.parentNode.insertBefore(target, block);
      var entry = { spec: JSON.parse(block.textContent), view: null, error: null,
                    group: block.getAttribute("data-kit-group") || "" };
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
    Promise.all(window.kitCharts.map(function (entry) { return entry.ready; })).then(function () {
      follow(window.kitCharts);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
