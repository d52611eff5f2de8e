// Runbook copy buttons: each shows once this script runs and copies the command it names
// (data-copy, the id of its <code>). Works from file:// and with no network; without
// scripts the buttons stay hidden and the command stays plain, selectable text.
(() => {
  'use strict';

  // Copies by selecting the command, where the Clipboard API is missing or refused.
  function copyBySelection(code) {
    const range = document.createRange();
    range.selectNodeContents(code);
    const sel = getSelection();
    sel.removeAllRanges();
    sel.addRange(range);
    let ok = false;
    try { ok = document.execCommand('copy'); } catch { ok = false; }
    return ok;
  }

  for (const button of document.querySelectorAll('button.rb-copy[data-copy]')) {
    const code = document.getElementById(button.dataset.copy);
    if (!code) continue;
    const status = button.parentElement.querySelector('.rb-copied');
    const label = button.textContent;
    let timer = 0;
    button.hidden = false;
    button.addEventListener('click', async () => {
      const text = code.textContent;
      let ok = false;
      try {
        await navigator.clipboard.writeText(text);
        ok = true;
      } catch {
        ok = copyBySelection(code);
      }
      button.textContent = ok ? 'Copied' : 'Selected';
      if (status) status.textContent = ok ? 'Command copied' : 'Command selected: copy it with your device';
      if (!ok) copyBySelection(code);
      clearTimeout(timer);
      timer = setTimeout(() => {
        button.textContent = label;
        if (status) status.textContent = '';
      }, 3000);
    });
  }
})();
