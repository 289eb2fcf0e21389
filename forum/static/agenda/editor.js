// Drag and drop in the timetable editor. Dropping fills the same move form that works without
// a mouse (the "Move" forms in the list) and sends it; the server checks the conflicts.
(function () {
  "use strict";
  var grid = document.getElementById("timetable");
  var form = document.getElementById("dnd-move");
  if (!grid) return;
  // The grid's shape and each cell's place come as data attributes and are set here: the
  // Content-Security-Policy allows no style attributes in the page.
  grid.style.gridTemplateColumns = "3.5rem repeat(" + parseInt(grid.dataset.areas, 10) + ", minmax(8.5rem, 1fr))";
  grid.style.gridTemplateRows = "auto repeat(" + parseInt(grid.dataset.rows, 10) + ", .55rem)";
  Array.prototype.forEach.call(grid.querySelectorAll("[data-col]"), function (cell) {
    cell.style.gridColumn = cell.dataset.col;
    cell.style.gridRow = cell.dataset.row;
  });
  if (!form) return;
  var step = parseInt(grid.dataset.step, 10);
  var rows = parseInt(grid.dataset.rows, 10);
  var startParts = grid.dataset.start.split(":");
  var startMinutes = parseInt(startParts[0], 10) * 60 + parseInt(startParts[1], 10);
  var dragged = null;
  var grabOffset = 0;

  function pad(n) { return (n < 10 ? "0" : "") + n; }

  function lanes() { return Array.prototype.slice.call(grid.querySelectorAll(".tt-lane")); }

  function laneAt(x) {
    return lanes().filter(function (lane) {
      var r = lane.getBoundingClientRect();
      return x >= r.left && x < r.right;
    })[0] || null;
  }

  // The local date and time of a row, counted from the grid's first row.
  function slotAt(lane, y) {
    var r = lane.getBoundingClientRect();
    var row = Math.round((y - r.top) / (r.height / rows));
    row = Math.max(0, Math.min(rows - 1, row));
    var day = new Date(grid.dataset.day + "T00:00:00Z");
    day.setUTCMinutes(startMinutes + row * step);
    return {
      day: day.getUTCFullYear() + "-" + pad(day.getUTCMonth() + 1) + "-" + pad(day.getUTCDate()),
      time: pad(day.getUTCHours()) + ":" + pad(day.getUTCMinutes())
    };
  }

  function clearTargets() {
    lanes().forEach(function (lane) { lane.classList.remove("drop-target"); });
  }

  grid.addEventListener("dragstart", function (event) {
    var item = event.target.closest && event.target.closest(".tt-item");
    if (!item) return;
    dragged = item;
    grabOffset = event.clientY - item.getBoundingClientRect().top;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", item.dataset.id);
    item.classList.add("dragging");
  });

  grid.addEventListener("dragend", function () {
    if (dragged) dragged.classList.remove("dragging");
    dragged = null;
    clearTargets();
  });

  grid.addEventListener("dragover", function (event) {
    if (!dragged) return;
    var lane = laneAt(event.clientX);
    if (!lane) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    clearTargets();
    lane.classList.add("drop-target");
  });

  grid.addEventListener("drop", function (event) {
    if (!dragged) return;
    var lane = laneAt(event.clientX);
    if (!lane) return;
    event.preventDefault();
    var slot = slotAt(lane, event.clientY - grabOffset);
    form.action = dragged.dataset.moveUrl;
    form.elements.area_id.value = lane.dataset.area;
    form.elements.day.value = slot.day;
    form.elements.start_time.value = slot.time;
    form.submit();
  });

  // A click on an empty place opens the new-item form for that area and time.
  grid.addEventListener("click", function (event) {
    var lane = event.target.closest && event.target.closest(".tt-lane");
    if (!lane) return;
    var slot = slotAt(lane, event.clientY);
    window.location = grid.dataset.newUrl + "?area=" + encodeURIComponent(lane.dataset.area) +
      "&start=" + encodeURIComponent(slot.time);
  });
})();
