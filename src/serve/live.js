// Live reload for pages served by `rollbook serve`, over a WebSocket: a tab's socket does
// not count against the browser's six HTTP/1.1 connections to the server, so any number
// of tabs load and reload. Reloads on `reload`, shows the overlay on `error`, reconnects
// when the server restarts. Injected by src/live.rs.
(function () {
  var path = "__EVENTS__", generation = "__GENERATION__", lost = false, wait = 250;
  function show(m) {
    var box = document.getElementById("rollbook-errors");
    var holder = document.createElement("div");
    holder.innerHTML = m.overlay || "";
    var fresh = holder.firstElementChild;
    if (!fresh) { return; }
    if (box) { box.replaceWith(fresh); } else { document.body.insertBefore(fresh, document.body.firstChild); }
  }
  function connect() {
    var ws = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + path + "?since=" + generation);
    ws.onmessage = function (e) {
      var m;
      try { m = JSON.parse(e.data); } catch (err) { return; }
      if (m.type === "hello") {
        wait = 250;
        // Back after the server restarted: what it serves may have changed.
        if (lost) { location.reload(); }
      } else if (m.type === "reload") {
        location.reload();
      } else if (m.type === "error") {
        show(m);
      }
    };
    ws.onclose = function () {
      lost = true;
      setTimeout(connect, wait);
      wait = Math.min(wait * 2, 2000);
    };
  }
  // After the page's own files, so it never competes with them.
  if (document.readyState === "complete") { connect(); } else { window.addEventListener("load", connect); }
})();
