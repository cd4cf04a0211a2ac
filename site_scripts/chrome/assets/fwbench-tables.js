/*
 * Sortable tables (tablesort, served from the site's own origin) and a row filter for long tables.
 *
 * Runs on every page load, and on every page switch when instant navigation is on (document$).
 * A column sorts as numbers only when every cell in it (its data-sort key, else its text) is a plain
 * number or "—" (missing, which sorts below every number); anything else sorts as text. A cell whose
 * text carries a unit gets its key from the generated page: <span data-sort="0.0531">53.1 ms</span>.
 * Tables with at least FILTER_MIN_ROWS rows get a filter box: rows stay that hold every typed word.
 */
(function () {
  "use strict";

  var SORT_MIN_ROWS = 3;
  var FILTER_MIN_ROWS = 20;
  var MISSING = "\u2014";
  // 1,234 · -0.5 · 4.97e-05 · 97.1 % · 1.00× (a column's % or × is the same unit on every row).
  var NUMBER = /^[-+\u2212]?(\d{1,3}(,\d{3})+|\d+)?(\.\d+)?(e[-+]?\d+)?\s?[%\u00d7]?$/i;

  function key(cell) {
    if (!cell.hasAttribute("data-sort")) {
      var inner = cell.querySelector("[data-sort]");
      if (inner) {
        cell.setAttribute("data-sort", inner.getAttribute("data-sort"));
      }
    }
    return (cell.getAttribute("data-sort") || cell.textContent || "").trim();
  }

  function toNumber(text) {
    if (text === "" || text === MISSING) {
      return -Infinity;
    }
    return parseFloat(text.replace(/,/g, "").replace("\u2212", "-"));
  }

  function isNumber(text) {
    return text === MISSING || (/\d/.test(text) && NUMBER.test(text));
  }

  // tablesort's convention: the comparator orders descending; ascending is its reverse.
  if (window.Tablesort) {
    window.Tablesort.extend("fwbench-number", function () {
      return false; // never guessed from three cells: markColumns decides from the whole column
    }, function (a, b) {
      var x = toNumber(a.trim()), y = toNumber(b.trim());
      return x === y ? 0 : (y > x ? 1 : -1);
    });
  }

  function markColumns(table) {
    var head = table.tHead && table.tHead.rows[table.tHead.rows.length - 1];
    var body = table.tBodies[0];
    if (!head || !body) {
      return;
    }
    Array.prototype.forEach.call(head.cells, function (th, column) {
      if (th.hasAttribute("data-sort-method")) {
        return;
      }
      var keys = Array.prototype.map.call(body.rows, function (row) {
        return row.cells[column] ? key(row.cells[column]) : "";
      });
      if (keys.some(function (k) { return k !== MISSING; }) && keys.every(isNumber)) {
        th.setAttribute("data-sort-method", "fwbench-number");
      }
    });
  }

  function addFilter(table) {
    var rows = Array.prototype.slice.call(table.tBodies[0].rows);
    var input = document.createElement("input");
    input.type = "search";
    input.className = "fwbench-table-filter";
    input.placeholder = "Filter " + rows.length + " rows";
    input.setAttribute("aria-label", "Filter the rows of the table below");
    var count = document.createElement("span");
    count.className = "fwbench-table-filter-count";
    count.setAttribute("aria-live", "polite");
    input.addEventListener("input", function () {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      rows.forEach(function (row) {
        var text = row.textContent.toLowerCase();
        var keep = words.every(function (w) { return text.indexOf(w) !== -1; });
        row.hidden = !keep;
        shown += keep ? 1 : 0;
      });
      count.textContent = words.length ? shown + " of " + rows.length + " rows" : "";
    });
    var anchor = table.closest(".md-typeset__scrollwrap") || table;
    anchor.parentNode.insertBefore(input, anchor);
    anchor.parentNode.insertBefore(count, anchor);
  }

  // Also called by fwbench-compare.js for the table it builds: window.fwbenchTables(root).
  function setUp(root) {
    if (!window.Tablesort) {
      return; // the tables stay as generated: readable, just not sortable
    }
    (root || document).querySelectorAll("article table:not([class])").forEach(function (table) {
      if (table.dataset.fwbenchTable || !table.tBodies[0]) {
        return;
      }
      table.dataset.fwbenchTable = "1";
      var n = table.tBodies[0].rows.length;
      if (n >= SORT_MIN_ROWS) {
        markColumns(table);
        new Tablesort(table);
      }
      if (n >= FILTER_MIN_ROWS) {
        addFilter(table);
      }
    });
  }

  // A link into a folded block (an export error, a chart's numbers) opens the block, so its target is seen.
  function openTarget() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var target = id && document.getElementById(id);
    for (var node = target; node; node = node.parentElement) {
      if (node.tagName === "DETAILS") {
        node.open = true;
      }
    }
    if (target) {
      target.scrollIntoView();
    }
  }

  function onPage() {
    setUp(document);
    openTarget();
  }

  window.addEventListener("hashchange", openTarget);

  window.fwbenchTables = setUp;
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(onPage);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", onPage);
  } else {
    onPage();
  }
})();
