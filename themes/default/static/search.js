// Search over every page, with the index built with the site. The index is split into
// small scripts under search/: a manifest, the words in shards by alphabetical range, and
// the entries (the top of each page, each heading, each answer) with their text in shards
// of their own. A query loads the manifest, the word shards its words fall in and the doc
// shards of the results it shows, as scripts (not fetch), so search also works from a
// copy opened from disk (file://). A result opens its page at the heading, with ?q= so
// the page it opens marks the words searched for.
(function () {
  "use strict";
  var input = document.getElementById("search-input");
  var panel = document.getElementById("search-panel");
  var list = document.getElementById("search-results");
  var more = document.getElementById("search-more");
  var status = document.getElementById("search-status");
  markPage();
  if (!input || !list || !panel || !more) { return; }
  var self = document.currentScript && document.currentScript.src;
  var root = self ? self.replace(/search\.js(\?.*)?$/, "") : (document.body.getAttribute("data-base") || "/");
  var offline = location.protocol === "file:";
  var BATCH = 10;       // results shown at first, and added by "show more"
  // Numbers are base 32, most significant digit first; a digit from the first half of
  // DIGITS ends a number.
  var DIGITS = "0123456789abcdefghijklmnopqrstuvABCDEFGHIJKLMNOPQRSTUVWXYZwxyz_-";
  var digit = {};
  for (var i = 0; i < DIGITS.length; i++) { digit[DIGITS.charAt(i)] = i; }

  var files = {};       // key ("index", "t3", "d12") -> { data, stamp, ready, error, waiting }
  var decoded = {};     // word -> [entry, where, entry, where, …]
  var manifest = null;  // { firsts: [first word of each word shard but the first], starts: [first entry of each doc shard], pages: [first entry of each page], low: Set of placeholder entries }
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
        var low = new Set(), entry = 0;
        at = 0;
        while (at < (data.l || "").length) {
          var step = number(data.l, at);
          entry += step[0];
          low.add(entry);
          at = step[1];
        }
        var pages = [];
        entry = 0;
        at = 0;
        while (at < (data.e || "").length) {
          var count = number(data.e, at);
          pages.push(entry);
          entry += count[0];
          at = count[1];
        }
        manifest = { firsts: data.t, starts: starts, pages: pages, low: low };
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

  // A word's entries: [entry, where, entry, where, …].
  function entriesOf(word, text) {
    if (decoded[word]) { return decoded[word]; }
    var out = [], entry = 0, at = 0;
    while (at < text.length) {
      var r = number(text, at);
      entry += Math.floor(r[0] / 4);
      out.push(entry, r[0] % 4);
      at = r[1];
    }
    decoded[word] = out;
    return out;
  }

  // The index of the last of the ascending `starts` at or before `entry`.
  function lastAtOrBefore(starts, entry) {
    var lo = 0, hi = starts.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= entry) { lo = mid; } else { hi = mid - 1; }
    }
    return lo;
  }

  // The page of `entry`: the number of the last page that starts at or before it.
  function pageOf(entry) {
    return lastAtOrBefore(manifest.pages, entry);
  }

  // Each entry with a word beginning with `w`, and its score there: 10 in the page's
  // title, 4 in the entry's heading, 1 in its text, 1 more for the whole word; and each
  // page with such a word, with 3 if it is in the title, else 1.
  function scores(w, keys) {
    var found = new Map(), pages = new Map();
    keys.forEach(function (key) {
      var data = files[key].data;
      for (var i = 0; i < data.length; i += 2) {
        var word = data[i];
        if (word.lastIndexOf(w, 0) !== 0) { continue; }
        var entries = entriesOf(word, data[i + 1]), whole = word === w ? 1 : 0;
        for (var j = 0; j < entries.length; j += 2) {
          var where = entries[j + 1], page = pageOf(entries[j]);
          var s = 1 + whole + (where & 1 ? 10 : 0) + (where & 2 ? 4 : 0);
          if (s > (found.get(entries[j]) || 0)) { found.set(entries[j], s); }
          var p = where & 1 ? 3 : 1;
          if (p > (pages.get(page) || 0)) { pages.set(page, p); }
        }
      }
    });
    return { found: found, pages: pages };
  }

  // Entries that hold a word of the query, on a page that holds every word, best first:
  // [[score, entry], …]. A word elsewhere on the page counts less than in the entry;
  // entries that hold no answer yet come after all the others.
  function rank(ws) {
    var sets = ws.map(function (w) { return scores(w, shardsFor(w)); });
    var seen = new Set(), hits = [], low = manifest.low;
    sets.forEach(function (set) {
      set.found.forEach(function (_, entry) {
        if (seen.has(entry)) { return; }
        seen.add(entry);
        var page = pageOf(entry), s = 0;
        for (var k = 0; k < sets.length; k++) {
          var own = sets[k].found.get(entry), there = sets[k].pages.get(page);
          if (!there) { return; }
          s += own || there;
        }
        hits.push([s, entry]);
      });
    });
    hits.sort(function (a, b) {
      return (low.has(a[1]) ? 1 : 0) - (low.has(b[1]) ? 1 : 0) || b[0] - a[0] || a[1] - b[1];
    });
    return hits;
  }

  // The doc shard that holds `entry`.
  function docShard(entry) {
    return lastAtOrBefore(manifest.starts, entry);
  }

  function href(path, q, anchor) {
    if (offline && (path === "" || path.charAt(path.length - 1) === "/")) { path += "index.html"; }
    return root + path + "?q=" + encodeURIComponent(q) + (anchor ? "#" + encodeURIComponent(anchor) : "");
  }

  function close() {
    panel.hidden = true;
  }

  function fail(error) {
    list.textContent = "";
    close();
    status.textContent = error === "stale"
      ? "The search index changed since this page was loaded; reload the page to search."
      : "Search index could not be loaded.";
  }

  // What is shown: the query, its words, its ranked hits, and how many of them are shown.
  var shown = { q: "", ws: [], hits: [], count: 0 };

  function say() {
    var n = shown.hits.length, c = Math.min(shown.count, n);
    status.textContent = !n ? "No results"
      : c < n ? "Showing " + c + " of " + n + " results"
      : n + " result" + (n === 1 ? "" : "s");
    more.hidden = c >= n;
    more.textContent = "Show " + Math.min(BATCH, n - c) + " more of " + n;
  }

  // Adds the results from `from` up to the number shown to the list.
  function append(from) {
    shown.hits.slice(from, shown.count).forEach(function (h) {
      var n = docShard(h[1]), shard = files["d" + n].data;
      var row = shard.d[h[1] - manifest.starts[n]], page = row && shard.g[row[0]];
      if (!page) { return; }
      var li = document.createElement("li"), a = document.createElement("a");
      a.href = href(page[1], shown.q, row[1]);
      a.textContent = row[2] || page[0];
      li.appendChild(a);
      var where = row[2] ? page[0] : "";
      if (shard.p && page[0].indexOf(shard.p) < 0) { where += (where ? " \u00b7 " : "") + shard.p; }
      if (where) {
        var p = document.createElement("span");
        p.className = "search-pack";
        p.textContent = " " + where;
        li.appendChild(p);
      }
      li.appendChild(snippet(row[3], shown.ws));
      list.appendChild(li);
    });
    say();
  }

  // Shows `count` results of the query being answered, loading the doc shards they need.
  function reveal(count, then) {
    var from = list.querySelectorAll("li").length, mine = query, keys = [];
    shown.count = count;
    shown.hits.slice(from, count).forEach(function (h) {
      var k = "d" + docShard(h[1]);
      if (keys.indexOf(k) < 0) { keys.push(k); }
    });
    need(keys, function (error) {
      if (mine !== query) { return; }
      if (error) { fail(error); return; }
      append(from);
      if (then) { then(); }
    });
  }

  function show(q, ws, hits) {
    list.textContent = "";
    shown = { q: q, ws: ws, hits: hits, count: 0 };
    if (!hits.length) {
      var none = document.createElement("li");
      none.textContent = "No results for \u201c" + q + "\u201d";
      list.appendChild(none);
      say();
    } else {
      reveal(BATCH);
    }
    panel.hidden = false;
  }

  function render() {
    var mine = ++query, q = input.value.trim(), ws = words(q);
    if (!q) { list.textContent = ""; close(); status.textContent = ""; return; }
    if (!ws.length) {
      list.textContent = "";
      close();
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
        hits.slice(0, BATCH).forEach(function (h) {
          var k = "d" + docShard(h[1]);
          if (docs.indexOf(k) < 0) { docs.push(k); }
        });
        // The first results' doc shards come before anything is shown, so the list is
        // never shown half empty.
        need(docs, function (error) {
          if (mine !== query) { return; }
          if (error) { fail(error); return; }
          show(q, ws, hits);
        });
      });
    });
  }

  // What the arrow keys move through: the results' links, then "show more".
  function stops() {
    var out = Array.prototype.slice.call(list.querySelectorAll("a"));
    if (!more.hidden) { out.push(more); }
    return out;
  }

  more.addEventListener("click", function () {
    var first = list.querySelectorAll("li").length;
    reveal(shown.count + BATCH, function () {
      var added = list.querySelectorAll("li a")[first];
      if (added) { added.focus(); }
    });
  });
  input.addEventListener("input", render);
  // The manifest is loaded as soon as the box has the focus, ahead of the first word.
  input.addEventListener("focus", function () { loadManifest(function () {}); });
  input.addEventListener("keydown", function (e) {
    var links = stops();
    if (e.key === "Escape") {
      e.preventDefault();
      if (!panel.hidden) { close(); } else { input.value = ""; render(); input.blur(); }
    } else if (e.key === "Enter" && !panel.hidden && links.length && links[0] !== more) {
      e.preventDefault();
      location.href = links[0].href;
    } else if (e.key === "ArrowDown" && panel.hidden && input.value.trim()) {
      e.preventDefault();
      render();
    } else if (e.key === "ArrowDown" && links.length) {
      e.preventDefault();
      links[0].focus();
    }
  });
  panel.addEventListener("keydown", function (e) {
    var links = stops(), i = links.indexOf(document.activeElement);
    if (e.key === "ArrowDown") { e.preventDefault(); if (i < links.length - 1) { links[i + 1].focus(); } }
    else if (e.key === "ArrowUp") { e.preventDefault(); (i > 0 ? links[i - 1] : input).focus(); }
    else if (e.key === "Escape") { e.preventDefault(); close(); input.focus(); }
  });
  document.addEventListener("keydown", function (e) {
    var tag = (e.target && e.target.tagName) || "";
    if ((e.key === "k" || e.key === "K") && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey) {
      // The browser's own Ctrl+K (its address bar search) gives way to the site's.
      e.preventDefault();
      input.focus();
      input.select();
    } else if (e.key === "/" && !e.ctrlKey && !e.metaKey && !e.altKey && !/^(INPUT|TEXTAREA|SELECT)$/.test(tag) && !e.target.isContentEditable) {
      e.preventDefault();
      input.focus();
    }
  });
  document.addEventListener("click", function (e) {
    if (!panel.hidden && !panel.contains(e.target) && e.target !== input) { close(); }
  });

  // A pattern that finds the words of `ws` where a word begins, as the index matches them.
  function pattern(ws) {
    var alts = ws.slice().sort(function (a, b) { return b.length - a.length; })
      .map(function (w) { return w.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"); });
    return new RegExp("(^|[^\\p{L}\\p{N}_])(" + alts.join("|") + ")", "giu");
  }

  // Appends `text` to `parent` as text, each word of `ws` found in it in a <mark>.
  function appendMarked(parent, text, ws) {
    var re = pattern(ws), at = 0, m;
    while ((m = re.exec(text)) !== null) {
      var start = m.index + m[1].length;
      if (start > at) { parent.appendChild(document.createTextNode(text.slice(at, start))); }
      var mark = document.createElement("mark");
      mark.textContent = m[2];
      parent.appendChild(mark);
      at = start + m[2].length;
      if (m[0].length === 0) { re.lastIndex++; }
    }
    if (at < text.length) { parent.appendChild(document.createTextNode(text.slice(at))); }
  }

  // The text around the first word found, with the words marked: built from text nodes
  // and <mark> elements, never from the text as markup.
  function snippet(text, ws) {
    var p = document.createElement("p"), m = pattern(ws).exec(text);
    var at = m ? m.index + m[1].length : 0, from = 0, to = Math.min(text.length, 160);
    if (at > 60) {
      from = text.indexOf(" ", at - 60) + 1;
      if (from <= 0 || from > at) { from = at; }
      to = Math.min(text.length, from + 160);
    }
    if (to < text.length) {
      var cut = text.lastIndexOf(" ", to);
      if (cut > at) { to = cut; }
    }
    if (from > 0) { p.appendChild(document.createTextNode("\u2026")); }
    appendMarked(p, text.slice(from, to), ws);
    if (to < text.length) { p.appendChild(document.createTextNode("\u2026")); }
    return p;
  }

  // On a page opened from a result (?q=…): marks the words searched for in the page's
  // main content and brings the heading the result named into view.
  function markPage() {
    var q = null;
    try { q = new URLSearchParams(location.search).get("q"); } catch (e) { q = null; }
    var main = document.getElementById("main");
    var ws = q ? words(q) : [];
    if (!main || !ws.length) { return; }
    var walker = document.createTreeWalker(main, NodeFilter.SHOW_TEXT, {
      acceptNode: function (n) {
        var p = n.parentNode;
        if (!p || /^(SCRIPT|STYLE|MARK|TEXTAREA|NOSCRIPT)$/.test(p.nodeName) || p.closest(".permalink")) { return NodeFilter.FILTER_REJECT; }
        return pattern(ws).test(n.nodeValue) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_REJECT;
      }
    });
    var nodes = [];
    while (walker.nextNode()) { nodes.push(walker.currentNode); }
    nodes.forEach(function (n) {
      var box = document.createDocumentFragment();
      appendMarked(box, n.nodeValue, ws);
      box.querySelectorAll("mark").forEach(function (m) { m.className = "search-hit"; });
      n.parentNode.replaceChild(box, n);
    });
    var id = location.hash ? decodeURIComponent(location.hash.slice(1)) : "";
    var target = id && document.getElementById(id);
    if (target) { target.scrollIntoView(); }
  }
})();
