// Reading aids on every page: the light/dark toggle, a copy button on each code block, and
// the contents open beside the page on wide screens. A plain script, no modules: it works
// from file:// and with no network. Without scripts no button shows, the system's scheme
// applies and the contents stay a folded list at the top of the page.
(function () {
  'use strict';
  var root = document.documentElement;
  var KEY = 'rollbook-theme';
  var system = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;

  function remember(choice) {
    try {
      if (choice) localStorage.setItem(KEY, choice);
      else localStorage.removeItem(KEY);
    } catch (e) { /* storage refused: the choice lasts for this page only */ }
  }
  function apply(choice) {
    if (choice === 'light' || choice === 'dark') root.setAttribute('data-theme', choice);
    else root.removeAttribute('data-theme');
  }
  function systemDark() { return !!(system && system.matches); }
  function dark() {
    var chosen = root.getAttribute('data-theme');
    return chosen ? chosen === 'dark' : systemDark();
  }

  // The toggle: pressed when the page is dark. A choice that matches the system is
  // forgotten, so the page follows the system again (the head's script applied any other
  // before the first paint).
  var toggle = document.querySelector('button.theme-toggle');
  if (toggle) {
    var show = function () { toggle.setAttribute('aria-pressed', String(dark())); };
    toggle.addEventListener('click', function () {
      var want = dark() ? 'light' : 'dark';
      var choice = want === (systemDark() ? 'dark' : 'light') ? null : want;
      apply(choice);
      remember(choice);
      show();
    });
    if (system && system.addEventListener) system.addEventListener('change', show);
    window.addEventListener('storage', function (e) {
      if (e.key === KEY) { apply(e.newValue); show(); }
    });
    show();
    toggle.hidden = false;
  }

  // Copy buttons. The Clipboard API needs a secure context (not file://, not plain http
  // off localhost); elsewhere a hidden text area is copied with execCommand, and when that
  // fails too the code is selected for the reader to copy.
  var status = document.createElement('p');
  status.className = 'visually-hidden';
  status.setAttribute('role', 'status');
  function copyByTextArea(text) {
    var area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'copy-buffer';
    document.body.appendChild(area);
    area.select();
    var ok = false;
    try { ok = document.execCommand('copy'); } catch (e) { ok = false; }
    document.body.removeChild(area);
    return ok;
  }
  function copy(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text).then(
        function () { return true; },
        function () { return copyByTextArea(text); });
    }
    return Promise.resolve(copyByTextArea(text));
  }
  var blocks = document.querySelectorAll('pre > code');
  if (blocks.length) document.body.appendChild(status);
  Array.prototype.forEach.call(blocks, function (code) {
    var pre = code.parentNode;
    // Runbook commands have their own button; diagrams are drawn, not copied; the source
    // lines quoted by the error overlay of `rollbook serve` (.rb-frame) are not code.
    if (pre.closest('.rb-command') || pre.matches('.mermaid, .rb-frame')) return;
    var button = document.createElement('button');
    button.type = 'button';
    button.className = 'copy-code';
    button.textContent = 'Copy';
    var timer = 0;
    button.addEventListener('click', function () {
      copy(code.textContent).then(function (ok) {
        if (!ok) {
          var range = document.createRange();
          range.selectNodeContents(code);
          var sel = window.getSelection();
          sel.removeAllRanges();
          sel.addRange(range);
        }
        button.textContent = ok ? 'Copied' : 'Selected';
        status.textContent = ok ? 'Copied' : 'Code selected: copy it with your device';
        clearTimeout(timer);
        timer = setTimeout(function () {
          button.textContent = 'Copy';
          status.textContent = '';
        }, 3000);
      });
    });
    pre.classList.add('has-copy');
    pre.appendChild(button);
  });

  // The contents: open beside the page on wide screens, folded at its top on narrow ones.
  var toc = document.querySelector('details.toc');
  if (toc && window.matchMedia) {
    var wide = window.matchMedia('(min-width: 75rem)');
    var place = function () { toc.open = wide.matches; };
    place();
    if (wide.addEventListener) wide.addEventListener('change', place);
  }
})();
