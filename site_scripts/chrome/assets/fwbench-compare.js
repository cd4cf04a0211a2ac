/*
 * The Compare page: two run pickers, and the change table for the chosen pair.
 *
 * The build wrote one JSON file per pair of timing runs on one hardware class (site_scripts/chrome/
 * compare_data.py), holding the rows History's table is made of; this script only picks the file and draws it.
 * The address names the pair (?a=<before>&b=<after>) and follows the pickers, so a comparison can be cited.
 * Does nothing on pages without the index block.
 */
(function () {
  "use strict";

  function option(run, selected) {
    var element = document.createElement("option");
    element.value = run.id;
    element.textContent = run.label;
    element.selected = selected;
    return element;
  }

  function paragraph(text) {
    var element = document.createElement("p");
    element.textContent = text;
    return element;
  }

  function table(document_) {
    var element = document.createElement("table");
    var head = element.createTHead().insertRow();
    document_.headers.forEach(function (header) {
      var th = document.createElement("th");
      th.textContent = header;
      head.appendChild(th);
    });
    var body = element.createTBody();
    document_.rows.forEach(function (cells) {
      var row = body.insertRow();
      cells.forEach(function (cell) {
        // The build's own HTML: escaped text and inline SVG icons (compare_data.pair_document).
        row.insertCell().innerHTML = cell;
      });
    });
    return element;
  }

  function setUp() {
    var script = document.querySelector("script.fwbench-compare-index");
    if (!script || script.dataset.wired) {
      return;
    }
    script.dataset.wired = "1";
    var index = JSON.parse(script.textContent);
    var pickA = document.querySelector("select.fwbench-compare-a");
    var pickB = document.querySelector("select.fwbench-compare-b");
    var result = document.querySelector("div.fwbench-compare-result");
    var link = document.querySelector("p.fwbench-compare-link");
    var form = document.querySelector("form.fwbench-compare-form");
    if (form) {  // the pickers never submit: no inline handler on the page (the page guard allows none)
      form.addEventListener("submit", function (event) { event.preventDefault(); });
    }
    var known = {};
    index.runs.forEach(function (run) { known[run.id] = run; });

    var params = new URLSearchParams(window.location.search);
    var a = params.get("a"), b = params.get("b");
    var asked = a !== null || b !== null;
    if (!known[a] || !known[b]) {
      a = index.default ? index.default[0] : index.runs[0].id;
      b = index.default ? index.default[1] : index.runs[index.runs.length - 1].id;
    }
    var unknown = asked && (!known[params.get("a")] || !known[params.get("b")]);
    index.runs.forEach(function (run) {
      pickA.appendChild(option(run, run.id === a));
      pickB.appendChild(option(run, run.id === b));
    });

    var generation = 0;

    function show(replaceUrl) {
      var before = pickA.value, after = pickB.value;
      var mine = ++generation;
      var url = new URL(window.location.href);
      url.searchParams.set("a", before);
      url.searchParams.set("b", after);
      url.hash = "";
      if (replaceUrl && window.history && window.history.replaceState) {
        window.history.replaceState(null, "", url.toString());
      }
      link.textContent = "";
      var anchor = document.createElement("a");
      anchor.href = url.toString();
      anchor.className = "fwbench-compare-permalink";
      anchor.textContent = url.toString();
      link.appendChild(document.createTextNode("Link to this comparison: "));
      link.appendChild(anchor);

      result.textContent = "";
      if (unknown) {
        result.appendChild(paragraph("The address named a run this site does not hold; showing the default pair."));
        unknown = false;
      }
      if (before === after) {
        result.appendChild(paragraph("Pick two different runs."));
        return;
      }
      if (known[before].hardware !== known[after].hardware) {
        result.appendChild(paragraph("These runs were measured on different hardware classes (" +
          known[before].hardware + "; " + known[after].hardware + "): no figure compares across them."));
        return;
      }
      var path = index.pairs[before + "|" + after];
      if (!path) {
        result.appendChild(paragraph("No table was built for this pair."));
        return;
      }
      result.appendChild(paragraph("Loading the table…"));
      fetch(path).then(function (response) {
        if (!response.ok) {
          throw new Error(path + ": " + response.status);
        }
        return response.json();
      }).then(function (pair) {
        if (mine !== generation) {
          return; // the reader picked another pair meanwhile
        }
        result.textContent = "";
        if (pair.empty) {
          result.appendChild(paragraph(pair.empty));
          return;
        }
        if (pair.summary_html) {
          var summary = document.createElement("p");
          summary.innerHTML = pair.summary_html; // the build's own HTML
          result.appendChild(summary);
        }
        var wrapper = document.createElement("div");
        wrapper.className = "fwbench-changes";
        wrapper.dataset.before = pair.before;
        wrapper.dataset.after = pair.after;
        wrapper.appendChild(table(pair));
        result.appendChild(wrapper);
        if (window.fwbenchTables) {
          window.fwbenchTables(result);
        }
      }).catch(function (error) {
        if (mine === generation) {
          result.textContent = "";
          result.appendChild(paragraph("The table could not be loaded (" + error.message + ")."));
        }
      });
    }

    pickA.addEventListener("change", function () { show(true); });
    pickB.addEventListener("change", function () { show(true); });
    show(asked);
  }

  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
