// Small enhancements; every page works without this script except charts and drag and drop.
(function () {
  "use strict";

  // Drag and drop a file onto the check form's drop zone.
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  if (drop && input) {
    ["dragenter", "dragover"].forEach(function (name) {
      drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
    });
    ["dragleave", "drop"].forEach(function (name) {
      drop.addEventListener(name, function () { drop.classList.remove("over"); });
    });
    drop.addEventListener("drop", function (event) {
      event.preventDefault();
      if (event.dataTransfer && event.dataTransfer.files.length) {
        input.files = event.dataTransfer.files;
        document.getElementById("check-form").submit();
      }
    });
  }

  // A finding highlights its cell while hovered or open.
  function cellOf(finding) {
    var id = finding.getAttribute("data-cell");
    return id ? document.getElementById(id) : null;
  }
  function mark(finding, on) {
    var cell = cellOf(finding);
    if (cell) { cell.classList.toggle("highlight", on); }
  }
  var findings = Array.prototype.slice.call(document.querySelectorAll("details.finding"));
  findings.forEach(function (finding) {
    finding.addEventListener("mouseenter", function () { mark(finding, true); });
    finding.addEventListener("mouseleave", function () { mark(finding, finding.open); });
    finding.addEventListener("toggle", function () { mark(finding, finding.open); });
  });

  // j / k move between findings.
  var current = -1;
  document.addEventListener("keydown", function (event) {
    var tag = (event.target.tagName || "").toLowerCase();
    if (tag === "input" || tag === "textarea" || tag === "select" || !findings.length) { return; }
    if (event.key !== "j" && event.key !== "k") { return; }
    if (current >= 0) { findings[current].classList.remove("current"); mark(findings[current], findings[current].open); }
    current = event.key === "j" ? Math.min(current + 1, findings.length - 1) : Math.max(current - 1, 0);
    var finding = findings[current];
    finding.classList.add("current");
    mark(finding, true);
    finding.scrollIntoView({ block: "center" });
    finding.querySelector("summary").focus();
  });

  // Charts: each has its data in a JSON block beside it (and as a table below).
  window.addEventListener("load", function () {
    if (!window.echarts) { return; }
    document.querySelectorAll("script.chart-data").forEach(function (block) {
      var data = JSON.parse(block.textContent);
      var target = document.getElementById(block.getAttribute("data-target"));
      if (!target) { return; }
      var chart = window.echarts.init(target);
      chart.setOption({
        tooltip: {},
        grid: { left: 60, right: 20, top: 20, bottom: 80 },
        xAxis: { type: "category", data: data.labels, axisLabel: { rotate: data.labels.length > 6 ? 40 : 0, interval: 0 } },
        yAxis: { type: "value" },
        series: [{ type: data.kind, data: data.values.map(Number), itemStyle: { color: "#23395d" } }],
        animation: false
      });
    });
  });
})();
