// Search over every page, with the index built with the site. The index is split into
// small scripts under search/: a manifest, the words in shards by alphabetical range, and
// the pages' titles and snippets in shards of their own. A query loads the manifest, the
// word shards its words fall in and the page shards of the results it shows, as scripts
// (not fetch), so search also works from a copy opened from disk (file://).
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var list = document.getElementById("search-results");
  var status = document.getElementById("search-status");
  if (!input || !list) { return; }
  var self = document.currentScript && document.currentScript.src;
  var root = self ? self.replace(/search\.js(\?.*)?$/, "") : (document.body.getAttribute("data-base") || "/");
  var offline = location.protocol === "file:";
  var SHOWN = 12;
  // Numbers are base 32, most significant digit first; a digit from the first half of
  // DIGITS ends a number.
  var DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";
  var digit = {};
  for (var i = 0; i < DIGITS.length; i++) { digit[DIGITS.charAt(i)] = i; }

  var files = {};       // key ("index", "t3", "d12") -> { data, stamp, ready, error, waiting }
  var decoded = {};     // word -> [page, where, page, where, …]
  var manifest = null;  // { firsts: [first word of each word shard but the first], starts: [first page of each page shard] }
  var query = 0;        // the query being answered; older answers are dropped

  // Every index file is one call of this, with its key, the build's stamp and its data.
  window.rollbookSearch = function (key, stamp, data) {
    var f = files[key];
    if (f && !f.ready) { f.stamp = stamp; f.data = data; }
  };

  function path(key) {
    return key === "index" ? "search/index.js" : "search/" + key.charAt(0) + "/" + key.slice(1) + ".js";
  }

  // Loads the files of `keys` (each once), then calls then(error), error null if all came.
  function need(keys, then) {
    var left = keys.length, done = false;
    function one(error) {
      if (done) { return; }
      if (error || --left === 0) { done = true; then(error); }
    }
    if (!left) { then(null); return; }
    keys.forEach(function (key) {
      var f = files[key];
      if (f && f.ready) { one(f.error); return; }
      if (f) { f.waiting.push(one); return; }
      f = files[key] = { ready: false, waiting: [one] };
      var s = document.createElement("script");
      var finish = function (error) {
        var want = files.index && files.index.stamp;
        f.error = error || (f.data === undefined ? "missing" : (want && f.stamp !== want ? "stale" : null));
        f.ready = true;
        if (f.error === "missing") { delete files[key]; } // tried again by the next query
        var waiting = f.waiting;
        f.waiting = [];
        waiting.forEach(function (w) { w(f.error); });
      };
      s.onload = function () { finish(null); };
      s.onerror = function () { finish("missing"); };
      s.src = root + path(key);
      document.head.appendChild(s);
    });
  }

  function number(text, from) {
    var n = 0;
    for (var i = from; i < text.length; i++) {
      var d = digit[text.charAt(i)];
      n = n * 32 + (d & 31);
      if (d < 32) { return [n, i + 1]; }
    }
    return [n, text.length];
  }

  function loadManifest(then) {
    need(["index"], function (error) {
      if (!error && !manifest) {
        var data = files.index.data, starts = [], page = 0, at = 0;
        while (at < data.d.length) {
          var r = number(data.d, at);
          starts.push(page);
          page += r[0];
          at = r[1];
        }
        manifest = { firsts: data.t, starts: starts };
      }
      then(error);
    });
  }

  // The words of a query, split as the index splits a page's text.
  function words(q) {
    return q.toLowerCase().split(/[^\p{L}\p{N}_-]+/u)
      .map(function (w) { return w.replace(/^-+|-+$/g, ""); })
      .filter(function (w) { return Array.from(w).length > 1; });
  }

  // The word shards that hold the words beginning with `w`: the one whose range holds
  // `w`, and any after it that begin with `w`.
  function shardsFor(w) {
    var firsts = manifest.firsts, lo = 0, hi = firsts.length;
    while (lo < hi) {
      var mid = (lo + hi) >> 1;
      if (firsts[mid] <= w) { lo = mid + 1; } else { hi = mid; }
    }
    var keys = ["t" + lo];
    for (var i = lo; i < firsts.length && firsts[i].lastIndexOf(w, 0) === 0; i++) { keys.push("t" + (i + 1)); }
    return keys;
  }

  function pagesOf(word, text) {
    if (decoded[word]) { return decoded[word]; }
    var out = [], page = 0, at = 0;
    while (at < text.length) {
      var r = number(text, at);
      page += Math.floor(r[0] / 4);
      out.push(page, r[0] % 4);
      at = r[1];
    }
    decoded[word] = out;
    return out;
  }

  // Each page with a word beginning with `w`, and its score there: 10 in the title, 4 in a
  // heading, 1 in the text, 1 more for the whole word.
  function scores(w, keys) {
    var found = new Map();
    keys.forEach(function (key) {
      var data = files[key].data;
      for (var i = 0; i < data.length; i += 2) {
        var word = data[i];
        if (word.lastIndexOf(w, 0) !== 0) { continue; }
        var pages = pagesOf(word, data[i + 1]), whole = word === w ? 1 : 0;
        for (var j = 0; j < pages.length; j += 2) {
          var where = pages[j + 1];
          var s = 1 + whole + (where & 1 ? 10 : 0) + (where & 2 ? 4 : 0);
          if (s > (found.get(pages[j]) || 0)) { found.set(pages[j], s); }
        }
      }
    });
    return found;
  }

  // Pages with every word, best first: [[score, page], …].
  function rank(ws) {
    var sets = ws.map(function (w) { return scores(w, shardsFor(w)); });
    sets.sort(function (a, b) { return a.size - b.size; });
    var hits = [];
    sets[0].forEach(function (s, page) {
      for (var k = 1; k < sets.length; k++) {
        var t = sets[k].get(page);
        if (!t) { return; }
        s += t;
      }
      hits.push([s, page]);
    });
    hits.sort(function (a, b) { return b[0] - a[0] || a[1] - b[1]; });
    return hits;
  }

  // The page shard that holds `page`.
  function docShard(page) {
    var starts = manifest.starts, lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= page) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  function href(path) {
    if (offline && (path === "" || path.charAt(path.length - 1) === "/")) { path += "index.html"; }
    return root + path;
  }

  function fail(error) {
    list.textContent = "";
    list.hidden = true;
    status.textContent = error === "stale"
      ? "The search index changed since this page was loaded; reload the page to search."
      : "Search index could not be loaded.";
  }

  function show(q, hits) {
    list.textContent = "";
    hits.slice(0, SHOWN).forEach(function (h) {
      var n = docShard(h[1]), shard = files["d" + n].data;
      var doc = shard.d[h[1] - manifest.starts[n]];
      if (!doc) { return; }
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = href(doc[1]);
      a.textContent = doc[0];
      li.appendChild(a);
      if (shard.p && doc[0].indexOf(shard.p) < 0) {
        var p = document.createElement("span");
        p.className = "search-pack";
        p.textContent = " " + shard.p;
        li.appendChild(p);
      }
      var snip = document.createElement("p");
      snip.textContent = doc[2];
      li.appendChild(snip);
      list.appendChild(li);
    });
    list.hidden = false;
    status.textContent = hits.length ? hits.length + " result" + (hits.length === 1 ? "" : "s") : "No results";
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "No results for \u201c" + q + "\u201d";
      list.appendChild(none);
    }
  }

  function render() {
    var mine = ++query, q = input.value.trim(), ws = words(q);
    if (!q) { list.textContent = ""; list.hidden = true; status.textContent = ""; return; }
    if (!ws.length) {
      list.textContent = "";
      list.hidden = true;
      status.textContent = "Type two letters or more to search.";
      return;
    }
    loadManifest(function (error) {
      if (mine !== query) { return; }
      if (error) { fail(error); return; }
      var keys = [];
      ws.forEach(function (w) {
        shardsFor(w).forEach(function (k) { if (keys.indexOf(k) < 0) { keys.push(k); } });
      });
      need(keys, function (error) {
        if (mine !== query) { return; }
        if (error) { fail(error); return; }
        var hits = rank(ws), docs = [];
        hits.slice(0, SHOWN).forEach(function (h) {
          var k = "d" + docShard(h[1]);
          if (docs.indexOf(k) < 0) { docs.push(k); }
        });
        need(docs, function (error) {
          if (mine !== query) { return; }
          if (error) { fail(error); return; }
          show(q, hits);
        });
      });
    });
  }

  input.addEventListener("input", render);
  input.addEventListener("focus", function () { loadManifest(function () { if (input.value) { render(); } }); });
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
