/*
 * Draws every chart the site build embedded in a page.
 *
 * Pages carry each figure as JSON in <script type="application/json" class="fwbench-figure"
 * data-for="DIV_ID">; this file parses it and hands it to the one local plotly.js. It
 * runs on every page load, and on every page switch when mkdocs-material's instant
 * navigation is on (document$). Text and error bars take the page's text colour, and
 * follow it when the light/dark toggle flips.
 */
(function () {
  "use strict";

  var CONFIG = { responsive: true, displaylogo: false };

  function textColour(element) {
    return window.getComputedStyle(element).color;
  }

  function drawCharts() {
    var scripts = document.querySelectorAll("script.fwbench-figure");
    scripts.forEach(function (script) {
      var target = document.getElementById(script.getAttribute("data-for"));
      if (!target) {
        return;
      }
      if (!window.Plotly) {
        target.textContent = "The chart could not be drawn (plotly.js did not load); its numbers are in the table below.";
        return;
      }
      var figure = JSON.parse(script.textContent);
      var colour = textColour(target);
      var layout = figure.layout || {};
      layout.font = Object.assign({}, layout.font, { color: colour });
      var data = (figure.data || []).map(function (trace) {
        if (trace.error_y) {
          trace.error_y = Object.assign({}, trace.error_y, { color: colour });
        }
        return trace;
      });
      window.Plotly.newPlot(target, data, layout, CONFIG);
    });
  }

  function followColourScheme() {
    if (!window.MutationObserver) {
      return;
    }
    new MutationObserver(function () {
      document.querySelectorAll(".fwbench-chart.js-plotly-plot").forEach(function (chart) {
        var colour = textColour(chart);
        window.Plotly.relayout(chart, { "font.color": colour });
        window.Plotly.restyle(chart, { "error_y.color": colour });
      });
    }).observe(document.body, { attributes: true, attributeFilter: ["data-md-color-scheme"] });
  }

  // The run selector: each option is the URL of the same page showing another run (same origin, relative).
  function wireRunSelectors() {
    document.querySelectorAll("select.fwbench-run-select").forEach(function (select) {
      if (select.dataset.wired) {
        return;
      }
      select.dataset.wired = "1";
      select.addEventListener("change", function () {
        var anchor = window.location.hash || "";
        window.location.href = select.value + anchor;
      });
    });
  }

  function onPage() {
    drawCharts();
    wireRunSelectors();
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
  if (document.body) {
    followColourScheme();
  } else {
    document.addEventListener("DOMContentLoaded", followColourScheme);
  }
})();
