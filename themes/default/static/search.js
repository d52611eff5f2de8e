// Search over every page, with the index built with the site. The index is loaded as a
// script next to this one, so search also works from a copy opened from disk (file://).
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list) { return; }
  var self = document.currentScript && document.currentScript.src;
  var root = self ? self.replace(/search\.js(\?.*)?$/, "") : (document.body.getAttribute("data-base") || "/");
  var offline = location.protocol === "file:";
  var index = null, loading = false, pending = null;

  function load(then) {
    if (index) { then(); return; }
    pending = then;
    if (loading) { return; }
    loading = true;
    var s = document.createElement("script");
    s.src = root + "search-index.js";
    s.onload = function () { index = window.ROLLBOOK_SEARCH || []; if (pending) { pending(); } };
    s.onerror = function () { status.textContent = "Search index could not be loaded."; };
    document.head.appendChild(s);
  }

  function href(path) {
    if (offline && (path === "" || path.charAt(path.length - 1) === "/")) { path += "index.html"; }
    return root + path;
  }

  function score(entry, terms) {
    var total = 0, title = entry.t.toLowerCase(), heads = entry.h.join(" ").toLowerCase();
    var words = " " + entry.w + " ";
    for (var i = 0; i < terms.length; i++) {
      var t = terms[i], s = 0;
      if (title.indexOf(t) >= 0) { s += 10; }
      if (heads.indexOf(t) >= 0) { s += 4; }
      if (words.indexOf(" " + t) >= 0) { s += 1; }
      if (s === 0) { return 0; }
      total += s;
    }
    return total;
  }

  function render() {
    var q = input.value.trim().toLowerCase();
    list.textContent = "";
    if (!q) { list.hidden = true; status.textContent = ""; return; }
    var terms = q.split(/[^\p{L}\p{N}_-]+/u).filter(Boolean);
    var hits = [];
    for (var i = 0; i < index.length; i++) {
      var s = score(index[i], terms);
      if (s > 0) { hits.push([s, index[i]]); }
    }
    hits.sort(function (a, b) { return b[0] - a[0]; });
    hits.slice(0, 12).forEach(function (h) {
      var e = h[1], li = document.createElement("li"), a = document.createElement("a");
      a.href = href(e.u);
      a.textContent = e.t;
      li.appendChild(a);
      if (e.p && e.t.indexOf(e.p) < 0) {
        var p = document.createElement("span");
        p.className = "search-pack";
        p.textContent = " " + e.p;
        li.appendChild(p);
      }
      var snip = document.createElement("p");
      snip.textContent = e.s;
      li.appendChild(snip);
      list.appendChild(li);
    });
    list.hidden = false;
    status.textContent = hits.length ? hits.length + " result" + (hits.length === 1 ? "" : "s") : "No results";
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "No results for \u201c" + input.value.trim() + "\u201d";
      list.appendChild(none);
    }
  }

  input.addEventListener("input", function () { load(render); });
  input.addEventListener("focus", function () { load(function () { if (input.value) { render(); } }); });
  input.addEventListener("keydown", function (e) {
    var links = list.querySelectorAll("a");
    if (e.key === "Escape") { input.value = ""; render(); input.blur(); }
    else if (e.key === "Enter" && links.length) { e.preventDefault(); location.href = links[0].href; }
    else if (e.key === "ArrowDown" && links.length) { e.preventDefault(); links[0].focus(); }
  });
  list.addEventListener("keydown", function (e) {
    var links = Array.prototype.slice.call(list.querySelectorAll("a"));
    var i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown" && i < links.length - 1) { e.preventDefault(); links[i + 1].focus(); }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    else if (e.key === "Escape") { input.focus(); }
  });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && !e.target.isContentEditable) {
      e.preventDefault();
      input.focus();
    }
  });
})();
