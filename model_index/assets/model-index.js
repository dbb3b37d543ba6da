/* model-index site behaviour: sortable tables, the overview chart, the snippet model picker.
   Runs on every page load, including Material's instant navigation (document$). */
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
          x: { type: "logarithmic", title: { display: true, text: canvas.dataset.x + ", log scale" } },
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

  function init() {
    sortTables(document);
    drawChart(document);
    bindPickers(document);
  }

  if (typeof document$ !== "undefined") {
    document$.subscribe(init);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
