/* /sponsor/: draw the dashboard's charts with the locally served Chart.js, from the JSON the page
 * carries (json_script). Every chart has the same figures in a table beside it. No inline script. */
(function () {
  "use strict";
  var source = document.getElementById("dashboard-data");
  if (!source || !window.Chart) { return; }
  var data = JSON.parse(source.textContent);
  var L = data.labels;
  var colours = ["#0b5cad", "#e07b00", "#2e7d32", "#8e24aa"];
  Chart.defaults.font.family = getComputedStyle(document.body).fontFamily;
  Chart.defaults.animation = false;

  var korean = data.language !== "en";
  Chart.defaults.locale = korean ? "ko-KR" : "en-US";

  // Mirrors config/money.py won_short: `2억 6,350만 원` (rounded to 만 원) in Korean, `₩263.5M` in
  // English, where 억 and 만 mean nothing to the reader.
  function wonShort(value) {
    var sign = value < 0 ? "-" : "";
    var amount = Math.abs(value);
    if (!korean) {
      var sizes = [[1e12, "T"], [1e9, "B"], [1e6, "M"]];
      for (var i = 0; i < sizes.length; i += 1) {
        if (amount >= sizes[i][0]) {
          var text = (amount / sizes[i][0]).toLocaleString("en-US", { maximumFractionDigits: 1 });
          return sign + "₩" + text + sizes[i][1];
        }
      }
      return sign + "₩" + amount.toLocaleString("en-US");
    }
    if (amount < 10000) { return sign + amount.toLocaleString("ko-KR") + "원"; }
    var manTotal = Math.floor((amount + 5000) / 10000);
    var eok = Math.floor(manTotal / 10000), man = manTotal % 10000;
    if (!eok) { return sign + man.toLocaleString("ko-KR") + "만\u00a0원"; }
    return sign + eok.toLocaleString("ko-KR") + "억" + (man ? " " + man.toLocaleString("ko-KR") + "만\u00a0원" : "\u00a0원");
  }
  function wonTooltip(context) {
    return context.dataset.label + ": " + wonShort(context.parsed.y);
  }

  function bar(id, labels, datasets, options) {
    var canvas = document.getElementById(id);
    if (!canvas) { return; }
    new Chart(canvas, {
      type: "bar",
      data: { labels: labels, datasets: datasets },
      options: Object.assign({ responsive: true, maintainAspectRatio: true }, options || {}),
    });
    canvas.setAttribute("data-drawn", "true");
  }

  bar("chart-by-year", data.by_year.labels, [
    { label: L.contributed, data: data.by_year.contributed, backgroundColor: colours[0] },
    { label: L.committed, data: data.by_year.committed, backgroundColor: colours[1] },
    { label: L.disbursed, data: data.by_year.disbursed, backgroundColor: colours[2] },
  ], {
    // The yearly card takes the whole row on a wide screen: a flatter chart there, the default on a phone.
    aspectRatio: window.innerWidth > 900 ? 3 : 2,
    scales: { y: { ticks: { callback: wonShort } } },
    plugins: { tooltip: { callbacks: { label: wonTooltip } } },
  });
  bar("chart-by-region", data.by_region.labels, [
    { label: L.projects, data: data.by_region.projects, backgroundColor: colours[0] },
  ], { plugins: { legend: { display: false } }, scales: { y: { ticks: { precision: 0 } } } });
  bar("chart-by-level", data.by_level.labels, [
    { label: L.projects, data: data.by_level.projects, backgroundColor: colours[1] },
  ], { plugins: { legend: { display: false } }, scales: { y: { ticks: { precision: 0 } } } });

  var partners = document.getElementById("chart-partners");
  if (partners) {
    new Chart(partners, {
      type: "doughnut",
      data: { labels: data.partners.labels, datasets: [{ data: data.partners.smes, backgroundColor: [colours[0], colours[1]] }] },
      options: { responsive: true, maintainAspectRatio: true, aspectRatio: 2 },
    });
    partners.setAttribute("data-drawn", "true");
  }
})();
