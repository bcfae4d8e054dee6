// Draws every chart of a static page with the bundled Vega (assets/vega.js): no kernel, no network.
// Each chart is a <script type="application/json" data-kit-chart="vega-lite|vega"> block holding its
// spec. window.kitCharts lists {spec, view, error} so that tests can read a chart's data.
// Charts with the same data-kit-group follow the group's first chart: a param bound to a slider there
// is set in the others whenever it changes (one kit panel: its sliders move all of its charts).
// A scenario code in the page's address sets the sliders (see shareCodes and assets/kit-codes.js).
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
  // The page's address carries a scenario code (page.html#ep2....): the first chart with bound sliders
  // and a starting code (a kit live chart) is set from it, and each slider move writes the code of where
  // the sliders are into the address and into a box under the chart, with a button to copy the link.
  function shareCodes(entries) {
    var lead = entries.filter(function (entry) {
      var meta = ((entry.spec.usermeta || {}).kit) || {};
      return entry.view && meta.code && (entry.spec.params || []).some(function (p) { return p.bind; });
    })[0];
    if (!lead || !window.kitCodes) return null;
    var codes = window.kitCodes, start = lead.spec.usermeta.kit.code, base = codes.decode(start);
    var names = (lead.spec.params || []).map(function (p) { return p.name; });
    var families = names.filter(function (n) { return /^automation_/.test(n); })
      .map(function (n) { return n.replace(/^automation_/, ""); });
    var controlled = names.filter(function (n) { return /^(automation_|oversight_ratio$|reinvestment_)/.test(n); });
    var box = document.createElement("div");
    box.className = "kit-share";
    box.setAttribute("role", "group");
    box.setAttribute("aria-label", "Share where the sliders are");
    box.innerHTML = '<span class="kit-share-label">Scenario code of this view:</span> <code class="kit-share-code"></code> ' +
      '<button type="button" class="kit-share-copy">Copy link</button>' +
      '<p class="kit-share-note" role="status" aria-live="polite"></p>';
    lead.target.parentNode.insertBefore(box, lead.target.nextSibling);
    var shown = box.querySelector(".kit-share-code"), note = box.querySelector(".kit-share-note");
    var applied = { values: current(), code: start, fromAddress: false };

    function current() {
      var values = {};
      controlled.forEach(function (n) { values[n] = lead.view.signal(n); });
      return values;
    }
    function same(a, b) { return controlled.every(function (n) { return a[n] === b[n]; }); }
    function show(code, inAddress) {  // in the box always; in the address unless it is the starting view
      shown.textContent = code;
      var anchor = codes.looksLikeCode(location.hash) ? "" : location.hash;  // a heading's #anchor stays
      var address = location.pathname + location.search + (inAddress ? "#" + code : anchor);
      if (location.pathname + location.search + location.hash !== address) history.replaceState(null, "", address);
    }
    function write() {
      var values = current();
      if (same(values, applied.values)) return show(applied.code, applied.fromAddress);
      note.textContent = "";
      show(codes.encode(codes.fromParams(values, base, families)), true);
    }
    function open(hash) {
      if (!codes.looksLikeCode(hash)) return false;  // an ordinary anchor (#a-heading), not a code
      var text = codes.codeText(hash), code;
      try {
        code = codes.decode(text);
      } catch (error) {
        note.textContent = "The code in this page's address cannot be opened: " + error.message + ". The chart shows " +
          "where the sliders are.";
        shown.textContent = applied.code;  // the learner's link stays in the address until a slider moves
        return true;
      }
      var values = Object.assign(current(), codes.sliderValues(code, families));
      controlled.forEach(function (n) { lead.view.signal(n, values[n]); });
      applied = { values: current(), code: text, fromAddress: true };
      lead.view.runAsync();
      var other = codes.differences(code, base, families);
      note.textContent = "Opened the scenario code from this page's address." + (other.length ? " It also sets " +
        other.join("; ") + ", which this page's chart cannot change: to see the code exactly, open it in the kit " +
        "with kit.explore('" + applied.code + "')." : "");
      show(applied.code, true);
      return true;
    }
    controlled.forEach(function (n) { lead.view.addSignalListener(n, write); });
    box.querySelector(".kit-share-copy").addEventListener("click", function () {
      var link = location.href;
      var done = function () { note.textContent = "Copied the link to this view: " + link; };
      var failed = function () {
        var range = document.createRange();
        range.selectNodeContents(shown);
        getSelection().removeAllRanges();
        getSelection().addRange(range);
        note.textContent = "Your browser did not let the page copy: the code is selected, press Ctrl+C (or Cmd+C) to copy it.";
      };
      if (navigator.clipboard && navigator.clipboard.writeText) navigator.clipboard.writeText(link).then(done, failed);
      else failed();
    });
    window.addEventListener("hashchange", function () { open(location.hash); });
    if (!open(location.hash)) show(start, false);
    return { lead: lead, open: open, current: current };
  }

  function draw() {
    document.querySelectorAll('script[type="application/json"][data-kit-chart]').forEach(function (block) {
      var target = document.createElement("div");
      target.className = "kit-chart-view";
      block.parentNode.insertBefore(target, block);
      var entry = { spec: JSON.parse(block.textContent), view: null, error: null, target: target,
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
      window.kitShare = shareCodes(window.kitCharts);
    });
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
