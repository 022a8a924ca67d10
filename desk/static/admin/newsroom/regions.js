/* The regions (热区) editor on a page's change form (desk/views/regions.py).
 *
 * The form of numbers works without this script; the script only lets a mouse or a finger
 * fill it in: drag a rectangle to move it, drag near its lower-right corner to resize it,
 * drag on the empty page to draw a rectangle into the next empty row (its article is then
 * chosen in that row). Typing numbers moves the rectangle on the image. No inline script:
 * loaded as a file, so it runs under the site's Content-Security-Policy.
 */
(function () {
  "use strict";

  var CORNER = 2.5; // percent of the page: a drag starting this near the corner resizes
  var MIN = 0.5; // the smallest width or height a drag leaves

  function init(editor) {
    var svg = editor.querySelector(".regions-overlay");
    var form = editor.querySelector(".regions-form");
    if (!svg || !form) return;
    var rows = Array.prototype.slice.call(form.querySelectorAll("tr.rect-row"));
    var NS = "http://www.w3.org/2000/svg";

    function input(row, name) {
      return row.querySelector("input[name$='-" + name + "']");
    }
    function value(row, name) {
      var number = parseFloat(input(row, name).value);
      return isNaN(number) ? null : number;
    }
    function rectFor(index) {
      var rect = svg.querySelector("rect[data-row='" + index + "']");
      if (!rect) {
        rect = document.createElementNS(NS, "rect");
        rect.setAttribute("data-row", String(index));
        svg.appendChild(rect);
      }
      return rect;
    }
    function draw(index) {
      var row = rows[index];
      var x = value(row, "x"), y = value(row, "y"), w = value(row, "w"), h = value(row, "h");
      var deleted = row.querySelector("input[name$='-DELETE']");
      var rect = svg.querySelector("rect[data-row='" + index + "']");
      if (x === null || y === null || !w || !h || (deleted && deleted.checked)) {
        if (rect) rect.parentNode.removeChild(rect);
        return;
      }
      rect = rectFor(index);
      rect.setAttribute("x", x);
      rect.setAttribute("y", y);
      rect.setAttribute("width", w);
      rect.setAttribute("height", h);
    }
    function write(index, box) {
      var row = rows[index];
      ["x", "y", "w", "h"].forEach(function (name) {
        input(row, name).value = box[name].toFixed(2);
      });
      draw(index);
    }
    function point(event) {
      var frame = svg.getBoundingClientRect();
      return {
        x: Math.min(100, Math.max(0, ((event.clientX - frame.left) / frame.width) * 100)),
        y: Math.min(100, Math.max(0, ((event.clientY - frame.top) / frame.height) * 100)),
      };
    }
    function clamp(box) {
      box.w = Math.max(MIN, Math.min(box.w, 100));
      box.h = Math.max(MIN, Math.min(box.h, 100));
      box.x = Math.max(0, Math.min(box.x, 100 - box.w));
      box.y = Math.max(0, Math.min(box.y, 100 - box.h));
      return box;
    }
    function emptyRow() {
      for (var i = 0; i < rows.length; i++) {
        if (value(rows[i], "x") === null && value(rows[i], "w") === null) return i;
      }
      return -1;
    }

    var drag = null;
    svg.addEventListener("pointerdown", function (event) {
      var start = point(event);
      var target = event.target;
      var index;
      if (target.tagName.toLowerCase() === "rect") {
        index = parseInt(target.getAttribute("data-row"), 10);
        var box = {
          x: value(rows[index], "x"),
          y: value(rows[index], "y"),
          w: value(rows[index], "w"),
          h: value(rows[index], "h"),
        };
        var corner =
          start.x > box.x + box.w - CORNER && start.y > box.y + box.h - CORNER;
        drag = { index: index, mode: corner ? "resize" : "move", start: start, box: box };
      } else {
        index = emptyRow();
        if (index === -1) return; // save first: the form then has empty rows again
        drag = { index: index, mode: "draw", start: start, box: null };
      }
      svg.setPointerCapture(event.pointerId);
      event.preventDefault();
    });
    svg.addEventListener("pointermove", function (event) {
      if (!drag) return;
      var now = point(event);
      var dx = now.x - drag.start.x, dy = now.y - drag.start.y;
      var box;
      if (drag.mode === "move") {
        box = { x: drag.box.x + dx, y: drag.box.y + dy, w: drag.box.w, h: drag.box.h };
      } else if (drag.mode === "resize") {
        box = { x: drag.box.x, y: drag.box.y, w: drag.box.w + dx, h: drag.box.h + dy };
      } else {
        box = {
          x: Math.min(now.x, drag.start.x),
          y: Math.min(now.y, drag.start.y),
          w: Math.abs(dx),
          h: Math.abs(dy),
        };
      }
      write(drag.index, clamp(box));
    });
    function end() {
      if (drag && drag.mode === "draw") {
        var select = rows[drag.index].querySelector("select");
        if (select) select.focus();
      }
      drag = null;
    }
    svg.addEventListener("pointerup", end);
    svg.addEventListener("pointercancel", end);
    rows.forEach(function (row, index) {
      row.addEventListener("input", function () { draw(index); });
      row.addEventListener("change", function () { draw(index); });
    });
    editor.classList.add("regions-scripted");
  }

  function start() {
    Array.prototype.forEach.call(document.querySelectorAll("[data-regions-editor]"), init);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
