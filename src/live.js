// Live reload for pages served by `rollbook serve`: reloads on `reload`, shows the
// errors on `error`, and reconnects when the server restarts. Injected by src/live.rs.
(function () {
  var url = "__EVENTS__", generation = "__GENERATION__", lost = false;
  function show(errors) {
    var box = document.getElementById("rollbook-errors");
    if (!box) {
      box = document.createElement("div");
      box.id = "rollbook-errors";
      box.setAttribute("role", "alert");
      box.style.cssText = "position:sticky;top:0;z-index:1000;background:#fff0f0;color:#7a0000;border-bottom:3px solid #c00;padding:.75rem 1rem;font:14px/1.4 ui-monospace,monospace";
      document.body.insertBefore(box, document.body.firstChild);
    }
    box.textContent = "";
    var title = document.createElement("strong");
    title.textContent = "The last edit broke the build; this is the last good version.";
    var list = document.createElement("ul");
    list.style.cssText = "margin:.5rem 0 0;padding-left:1.25rem";
    errors.forEach(function (d) {
      var li = document.createElement("li"), code = document.createElement("code");
      code.textContent = d.file + ":" + d.line + ":" + d.column;
      li.appendChild(code);
      li.appendChild(document.createTextNode(" " + d.message));
      list.appendChild(li);
    });
    box.appendChild(title);
    box.appendChild(list);
  }
  function connect() {
    var es = new EventSource(url + "?since=" + generation);
    es.onopen = function () { if (lost) { location.reload(); } };
    es.addEventListener("reload", function () { location.reload(); });
    es.addEventListener("error", function (e) {
      if (e.data) {
        try { show(JSON.parse(e.data)); } catch (err) { /* not ours */ }
        return;
      }
      lost = true;
      if (es.readyState === EventSource.CLOSED) { es.close(); setTimeout(connect, 1000); }
    });
  }
  // After the page's own files, so the stream never competes with them for a connection.
  if (document.readyState === "complete") { connect(); } else { window.addEventListener("load", connect); }
})();
