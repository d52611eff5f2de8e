// The dashboard's filters work without script (the stylesheet keys on :target); this
// marks the active filter link and says how many packs are shown, for screen readers.
(function () {
  "use strict";
  var status = document.getElementById("filter-status");
  var rows = document.querySelectorAll("table.packs > tbody > tr");
  if (!status) return;
  function update() {
    var name = location.hash.indexOf("#filter-") === 0 ? location.hash.slice(8) : "";
    var links = document.querySelectorAll(".summary a[data-filter]");
    var shown = 0;
    for (var i = 0; i < links.length; i++) {
      if (links[i].getAttribute("data-filter") === name) {
        links[i].setAttribute("aria-current", "true");
      } else {
        links[i].removeAttribute("aria-current");
      }
    }
    for (var j = 0; j < rows.length; j++) {
      if (!name || rows[j].classList.contains("is-" + name)) shown++;
    }
    status.textContent = name
      ? "Showing " + shown + " of " + rows.length + " packs."
      : "";
  }
  window.addEventListener("hashchange", update);
  update();
})();
