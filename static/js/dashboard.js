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

  function won(value) {
    if (Math.abs(value) >= 100000000) { return (value / 100000000).toLocaleString() + "억"; }
    if (Math.abs(value) >= 10000) { return (value / 10000).toLocaleString() + "만"; }
    return value.toLocaleString();
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
  ], { scales: { y: { ticks: { callback: won } } } });
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
