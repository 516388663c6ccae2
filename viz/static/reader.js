// The report reader: legend checkboxes switch kinds of marks on and off; #span-{start}-{end} in the URL
// highlights every piece of that span (a span cut by a crossing mark has several) and scrolls to it.
(function () {
  "use strict";
  const text = document.getElementById("report-text");
  if (!text) { return; }
  document.querySelectorAll("#legend input[type=checkbox]").forEach(function (box) {
    box.addEventListener("change", function () { text.classList.toggle("off-" + box.value, !box.checked); });
  });
  function highlight() {
    text.querySelectorAll(".hit").forEach(function (e) { e.classList.remove("hit"); });
    const m = /^#span-(\d+)-(\d+)$/.exec(location.hash);
    if (!m) { return; }
    const pieces = text.querySelectorAll('[data-span="' + m[1] + "-" + m[2] + '"]');
    pieces.forEach(function (e) { e.classList.add("hit"); });
    if (pieces.length) { pieces[0].scrollIntoView({ block: "center" }); }
    document.documentElement.dataset.hit = String(pieces.length);
  }
  window.addEventListener("hashchange", highlight);
  highlight();
  // The browser's own jump to the fragment comes after this script and puts the span at the very top,
  // cut by the edge: centre it again once the page has loaded.
  window.addEventListener("load", function () {
    const hit = text.querySelector(".hit");
    if (hit) { window.requestAnimationFrame(function () { hit.scrollIntoView({ block: "center" }); }); }
  });
  document.documentElement.dataset.ready = "1";
})();
