// Draws the page's Mermaid diagrams (<pre class="mermaid">, written from ```mermaid blocks)
// with the copy of Mermaid shipped beside this file, light or dark as the reader's scheme.
// Without scripts the source stays on the page as a code block; print shows it too.
(function () {
  'use strict';
  var mermaid = window.mermaid;
  if (!mermaid) return;
  var dark = window.matchMedia ? window.matchMedia('(prefers-color-scheme: dark)') : null;
  var blocks = Array.prototype.slice.call(document.querySelectorAll('pre.mermaid'));
  var sources = blocks.map(function (pre) { return pre.textContent; });
  blocks.forEach(function (pre, i) { pre.setAttribute('data-source', sources[i].trim()); });
  function settings(startOnLoad) {
    var isDark = !!(dark && dark.matches);
    return {
      startOnLoad: startOnLoad,
      theme: isDark ? 'dark' : 'default',
      // Edge labels of the dark theme are a shade too light behind their text for AA.
      themeVariables: isDark ? { edgeLabelBackground: '#333333' } : {},
      securityLevel: 'strict'
    };
  }
  mermaid.initialize(settings(true));
  if (dark && dark.addEventListener) {
    // Drawn again from the source when the reader switches between light and dark.
    dark.addEventListener('change', function () {
      blocks.forEach(function (pre, i) {
        pre.removeAttribute('data-processed');
        pre.textContent = sources[i];
      });
      mermaid.initialize(settings(false));
      mermaid.run({ nodes: blocks });
    });
  }
})();
