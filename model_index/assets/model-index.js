/* model-index site behaviour: sortable tables, the overview chart, the snippet model picker, the
   scroll hints of wide tables. Runs on every page load, including Material's instant navigation
   (document$). */
(function () {
  "use strict";

  function cellNumber(row, column) {
    var text = cellText(row, column);
    return text === "" ? NaN : parseFloat(text.replace(/,/g, ""));
  }

  function cellText(row, column) {
    return row.cells[column] ? row.cells[column].textContent.trim() : "";
  }

  function columnOf(table, label) {
    var headers = table.tHead ? table.tHead.rows[0].cells : [];
    for (var i = 0; i < headers.length; i++) {
      if (headers[i].textContent.trim() === label) return i;
    }
    return -1;
  }

  // The page's content: Material's <article>, or the whole document on themes without one.
  function contentOf(root) {
    return root.querySelector("article") || root;
  }

  function sortTables(root) {
    if (typeof Tablesort === "undefined") return;
    contentOf(root).querySelectorAll("table:not([class])").forEach(function (table) {
      if (!table.dataset.miSortable) {
        table.dataset.miSortable = "1";
        new Tablesort(table);
      }
    });
  }

  // Ticks of a logarithmic axis: 1-2-5 steps, thinned to what the axis has room for (Chart.js's
  // own pick labels 800, 900 and 1,000 side by side). Tried in turn, mantissas per decade and the
  // stride between decades; the first whose labels keep GAP pixels apart wins.
  var LOG_STEPS = [[[1, 2, 5], 1], [[1, 3], 1], [[1], 1], [[1], 2], [[1], 3], [[1], 5]];
  var GAP = 8;

  function tickLabel(value) {
    return value.toLocaleString();
  }

  function logCandidates(min, max, mantissas, stride) {
    var values = [], first = Math.floor(Math.log10(min)), last = Math.ceil(Math.log10(max));
    for (var e = first; e <= last; e++) {
      if ((e - first) % stride) continue;
      mantissas.forEach(function (m) {
        var value = parseFloat((m * Math.pow(10, e)).toPrecision(12));
        if (value >= min * (1 - 1e-9) && value <= max * (1 + 1e-9)) values.push(value);
      });
    }
    return values;
  }

  function logTicks(scale) {
    var ctx = scale.ctx, span = Math.log10(scale.max) - Math.log10(scale.min);
    if (!(span > 0)) return;
    ctx.save();
    ctx.font = Chart.helpers.toFont(scale.options.ticks.font).string;
    var width = function (value) { return ctx.measureText(tickLabel(value)).width; };
    var pixel = function (value) { return scale.width * (Math.log10(value) - Math.log10(scale.min)) / span; };
    var chosen = null;
    for (var i = 0; i < LOG_STEPS.length && !chosen; i++) {
      var values = logCandidates(scale.min, scale.max, LOG_STEPS[i][0], LOG_STEPS[i][1]);
      var fits = values.length >= 2 && values.every(function (value, j) {
        return j === 0 || pixel(value) - pixel(values[j - 1]) >= (width(value) + width(values[j - 1])) / 2 + GAP;
      });
      if (fits) chosen = values;
    }
    ctx.restore();
    chosen = chosen || [scale.min, scale.max];
    scale.ticks = chosen.map(function (value) { return { value: value }; });
  }

  // The 1-2-5 values just outside the data's range, so that the axis starts and ends on a tick.
  function niceBound(value, up) {
    var decade = Math.pow(10, Math.floor(Math.log10(value)));
    var steps = [1, 2, 5, 10].map(function (m) { return m * decade; });
    return up ? steps.filter(function (s) { return s >= value; })[0]
              : steps.filter(function (s) { return s <= value; }).pop();
  }

  function drawChart(root) {
    var canvas = root.querySelector("#mi-overview-chart");
    if (!canvas || typeof Chart === "undefined") return;
    var table = (canvas.closest("article") || document).querySelector("table");
    if (!table || !table.tBodies.length) return;
    var x = columnOf(table, canvas.dataset.x), y = columnOf(table, canvas.dataset.y);
    if (x < 0 || y < 0) return;  // a project template renamed the columns the chart plots
    var series = columnOf(table, canvas.dataset.series), label = columnOf(table, canvas.dataset.label);
    var families = {};
    Array.prototype.forEach.call(table.tBodies[0].rows, function (row) {
      var px = cellNumber(row, x), py = cellNumber(row, y);
      if (isNaN(px) || isNaN(py) || px <= 0) return;
      var family = cellText(row, series);
      (families[family] = families[family] || []).push({ x: px, y: py, name: cellText(row, label) });
    });
    var names = Object.keys(families).sort();
    var xs = [].concat.apply([], names.map(function (f) { return families[f].map(function (p) { return p.x; }); }));
    if (!xs.length) return;
    var style = getComputedStyle(document.body);
    Chart.defaults.color = style.getPropertyValue("--md-default-fg-color--light").trim() || "#666";
    var previous = Chart.getChart(canvas);
    if (previous) previous.destroy();
    new Chart(canvas, {
      type: "scatter",
      data: {
        datasets: names.map(function (family, i) {
          var color = "hsl(" + Math.round((i * 137.508) % 360) + ", 65%, 50%)";
          return { label: family, data: families[family], backgroundColor: color, borderColor: color, pointRadius: 4 };
        })
      },
      options: {
        animation: false,
        maintainAspectRatio: false,
        scales: {
          x: {
            type: "logarithmic",
            min: niceBound(Math.min.apply(null, xs) / 1.05, false),
            max: niceBound(Math.max.apply(null, xs) * 1.05, true),
            title: { display: true, text: canvas.dataset.x + ", log scale" },
            afterBuildTicks: logTicks,
            ticks: { autoSkip: false, maxRotation: 0, callback: tickLabel }
          },
          y: { title: { display: true, text: canvas.dataset.y } }
        },
        plugins: {
          legend: { position: "bottom" },
          tooltip: {
            callbacks: {
              label: function (item) {
                return item.raw.name + ": " + item.raw.y + "% at " + item.raw.x + " M";
              }
            }
          }
        }
      }
    });
  }

  function replaceText(node, from, to) {
    var walker = document.createTreeWalker(node, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      if (walker.currentNode.nodeValue.indexOf(from) >= 0) {
        walker.currentNode.nodeValue = walker.currentNode.nodeValue.split(from).join(to);
      }
    }
  }

  function bindPickers(root) {
    root.querySelectorAll(".mi-picker").forEach(function (picker) {
      var select = picker.querySelector("select");
      var snippets = picker.nextElementSibling;
      if (!select || !snippets || picker.dataset.miBound) return;
      picker.dataset.miBound = "1";
      // data-model and each option's value hold the model name as the snippets write it: a
      // Python string literal, quotes included.
      select.addEventListener("change", function () {
        snippets.querySelectorAll("code").forEach(function (code) {
          replaceText(code, picker.dataset.model, select.value);
        });
        picker.dataset.model = select.value;
      });
    });
  }

  // A generated table wider than its box scrolls sideways (in Material's scrolling wrapper);
  // data-mi-more says on which sides more of it is hidden, for the hints model-index.css draws.
  function markOverflow(box) {
    var scroller = box.querySelector(".md-typeset__scrollwrap");
    if (!scroller) return;
    var more = [];
    if (scroller.scrollLeft > 0) more.push("left");
    if (scroller.scrollLeft + scroller.clientWidth < scroller.scrollWidth - 1) more.push("right");
    box.dataset.miMore = more.join(" ");
  }

  function watchOverflow(root) {
    contentOf(root).querySelectorAll(".mi-table").forEach(function (box) {
      markOverflow(box);
      if (!box.dataset.miWatched) {
        box.dataset.miWatched = "1";
        box.addEventListener("scroll", function () { markOverflow(box); }, { capture: true, passive: true });
      }
    });
  }

  function init() {
    sortTables(document);
    drawChart(document);
    bindPickers(document);
    watchOverflow(document);
  }

  window.addEventListener("resize", function () { watchOverflow(document); });

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
