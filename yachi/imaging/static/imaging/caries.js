// The caries review screen: drag on the X-ray to draw a missed lesion's box; the corners
// go into the form's fields (in the image's own pixels), which the doctor can also type.
(function () {
  "use strict";
  function start(svg) {
    var form = document.querySelector("[data-caries-add]");
    if (!form) return;
    var box = svg.querySelector("[data-caries-drawing]");
    var fields = {};
    form.querySelectorAll("[data-caries-corner]").forEach(function (input) { fields[input.name] = input; });
    var columns = Number(svg.dataset.columns), rows = Number(svg.dataset.rows), from = null;
    function point(event) {
      var rect = svg.getBoundingClientRect();
      var x = Math.round(((event.clientX - rect.left) / rect.width) * columns);
      var y = Math.round(((event.clientY - rect.top) / rect.height) * rows);
      return { x: Math.min(Math.max(x, 0), columns), y: Math.min(Math.max(y, 0), rows) };
    }
    function show(a, b) {
      var x0 = Math.min(a.x, b.x), y0 = Math.min(a.y, b.y), x1 = Math.max(a.x, b.x), y1 = Math.max(a.y, b.y);
      box.setAttribute("x", x0); box.setAttribute("y", y0);
      box.setAttribute("width", x1 - x0); box.setAttribute("height", y1 - y0);
      fields.x0.value = x0; fields.y0.value = y0; fields.x1.value = x1; fields.y1.value = y1;
    }
    svg.addEventListener("pointerdown", function (event) {
      from = point(event);
      svg.setPointerCapture(event.pointerId);
      show(from, from);
    });
    svg.addEventListener("pointermove", function (event) { if (from) show(from, point(event)); });
    svg.addEventListener("pointerup", function (event) {
      if (from) show(from, point(event));
      from = null;
    });
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-caries-picture]").forEach(start);
  });
})();
