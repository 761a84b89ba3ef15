// Draws every [data-chart] box from the JSON beside it (web/partials/chart.html), with
// ECharts when it loaded; resizes with the window. No inline script: the CSP allows none.
(function () {
  "use strict";
  function draw(box) {
    if (typeof window.echarts === "undefined" || box.dataset.drawn) return;
    var data = JSON.parse(box.parentNode.querySelector('script[type="application/json"]').textContent);
    var axes = (data.axes || [{}]).map(function (axis) {
      return { type: "value", name: axis.name || "", splitLine: { show: !axis.secondary } };
    });
    box.textContent = "";
    box.dataset.drawn = "1";
    var chart = window.echarts.init(box, null, { renderer: "canvas" });
    chart.setOption({
      tooltip: { trigger: "axis" },
      // One line of legend, scrolled on a phone, so it never covers the axis name below it.
      legend: { top: 0, type: "scroll" },
      grid: { left: 56, right: 56, top: 40, bottom: 56 },
      xAxis: { type: "category", data: data.categories, axisLabel: { interval: 0, rotate: data.categories.length > 6 ? 30 : 0 } },
      yAxis: axes,
      series: data.series.map(function (s) {
        return { name: s.label || s.name, type: s.type || "bar", data: s.data, yAxisIndex: s.yAxisIndex || 0 };
      })
    });
    window.addEventListener("resize", function () { chart.resize(); });
  }
  function drawAll() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }
  document.addEventListener("DOMContentLoaded", drawAll);
  document.addEventListener("htmx:afterSettle", drawAll);
})();
