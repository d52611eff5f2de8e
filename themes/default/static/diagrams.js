// Draws the page's Mermaid diagrams (<pre class="mermaid">, written from ```mermaid blocks)
// with the copy of Mermaid shipped beside this file, light or dark as the page's scheme.
// Without scripts the source stays on the page as a code block; print shows it too.
(function () {
  'use strict';
  var mermaid = window.mermaid;
  if (!mermaid) return;
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var blocks = Array.prototype.slice.call(document.querySelectorAll('pre.mermaid'));
  var sources = blocks.map(function (pre) { return pre.textContent; });
  blocks.forEach(function (pre, i) { pre.setAttribute('data-source', sources[i].trim()); });
  // The page's scheme: the reader's choice (reading.js sets data-theme), else the system's.
  function isDarkNow() {
    var chosen = document.documentElement.getAttribute('data-theme');
    return chosen ? chosen === 'dark' : !!(dark && dark.matches);
  }
  var drawnDark = isDarkNow();
  function settings(startOnLoad) {
    var isDark = isDarkNow();
    return {
      startOnLoad: startOnLoad,
      theme: isDark ? 'dark' : 'default',
      // Edge labels of the dark theme are a shade too light behind their text for AA.
      themeVariables: isDark ? { edgeLabelBackground: '#333333' } : {},
      securityLevel: 'strict'
    };
  }
  mermaid.initialize(settings(true));
  // Drawn again from the source when the page switches between light and dark: the
  // system's scheme changes, or the reader picks one with the toggle.
  function redraw() {
    if (isDarkNow() === drawnDark) return;
    drawnDark = isDarkNow();
    blocks.forEach(function (pre, i) {
      pre.removeAttribute('data-processed');
      pre.textContent = sources[i];
    });
    mermaid.initialize(settings(false));
    mermaid.run({ nodes: blocks });
  }
  if (dark && dark.addEventListener) dark.addEventListener('change', redraw);
  if (window.MutationObserver) {
    new MutationObserver(redraw).observe(document.documentElement, { attributes: true, attributeFilter: ['data-theme'] });
  }
})();
