// A tiny test runner for the browser tests: sequential tests, a time limit on each and on
// the whole run, every browser context and child process closed after each test.

import { spawn } from 'node:child_process';
import { chromium } from 'playwright-core';

// tests/it/browser.rs passes the Chromium it checked for (ROLLBOOK_CHROMIUM overrides it).
export const CHROMIUM = process.env.ROLLBOOK_CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-sync',
  '--disable-quic',
];
export const TEST_TIMEOUT_MS = 60_000;
const RUN_TIMEOUT_MS = 20 * 60_000;
const ACTION_TIMEOUT_MS = 15_000;

/** Every child process started by the tests, so that none outlives the run. */
const children = new Set();

export function killAllChildren(signal = 'SIGKILL') {
  for (const c of children) {
    if (c.exitCode === null && c.signalCode === null) {
      try { c.kill(signal); } catch { /* already gone */ }
    }
  }
  children.clear();
}

process.on('exit', () => killAllChildren());
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    killAllChildren();
    process.exit(130);
  });
}

/** Starts a child process that is killed at the end of the test (or the run) at the latest. */
export function startChild(cmd, args, opts = {}) {
  const child = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'], ...opts });
  children.add(child);
  child.stdoutText = '';
  child.stderrText = '';
  child.stdout?.setEncoding('utf8').on('data', (d) => { child.stdoutText += d; });
  child.stderr?.setEncoding('utf8').on('data', (d) => { child.stderrText += d; });
  child.exited = new Promise((resolve) => child.on('exit', (code, signal) => {
    children.delete(child);
    resolve({ code, signal });
  }));
  child.on('error', (e) => { child.stderrText += `\n[spawn error: ${e.message}]`; });
  return child;
}

/** Stops a child: SIGTERM, then SIGKILL if it does not exit within `graceMs`. */
export async function stopChild(child, graceMs = 3000) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), graceMs);
  await child.exited;
  clearTimeout(timer);
}

/** Runs a command to completion within `timeoutMs`; returns { code, stdout, stderr }. */
export async function runCommand(cmd, args, { timeoutMs = 60_000, ...opts } = {}) {
  const child = startChild(cmd, args, opts);
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
  const { code, signal } = await child.exited;
  clearTimeout(timer);
  return { code, signal, stdout: child.stdoutText, stderr: child.stderrText };
}

/** Resolves with `promise`, or rejects after `ms` with a message naming `what`. */
export function withTimeout(promise, ms, what) {
  let timer;
  const limit = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms / 1000} s: ${what}`)), ms);
  });
  return Promise.race([promise, limit]).finally(() => clearTimeout(timer));
}

/** A failed check, with a message meant for the person reading the test log. */
export class CheckFailed extends Error {}

export function check(condition, message) {
  if (!condition) throw new CheckFailed(typeof message === 'function' ? message() : message);
}

const tests = [];

/** Registers a test: `fn(t)` gets `t.browser`, `t.newContext(opts)`, `t.log(msg)`. */
export function test(name, fn) {
  tests.push({ name, fn });
}

/** Runs every registered test in order, prints `N passed, M failed`, and exits. */
export async function runAll({ only } = {}) {
  const watchdog = setTimeout(() => {
    console.log(`FAIL the whole run took longer than ${RUN_TIMEOUT_MS / 60_000} minutes; stopping`);
    killAllChildren();
    process.exit(1);
  }, RUN_TIMEOUT_MS);
  watchdog.unref();

  let browser;
  let passed = 0;
  let failed = 0;
  try {
    browser = await withTimeout(
      chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true, timeout: 30_000 }),
      40_000,
      `launching ${CHROMIUM}`,
    );
  } catch (e) {
    console.log(`FAIL launching Chromium (${CHROMIUM}): ${e.message}`);
    console.log(`0 passed, ${tests.length} failed`);
    killAllChildren();
    process.exit(1);
  }
  const selected = tests.filter(({ name }) => !only || only.some((o) => name.includes(o)));
  console.log(`# Chromium ${browser.version()}, ${selected.length} of ${tests.length} tests`);

  for (const { name, fn } of selected) {
    const contexts = [];
    const notes = [];
    const t = {
      browser,
      log: (msg) => notes.push(msg),
      async newContext(opts = {}) {
        const ctx = await browser.newContext(opts);
        ctx.setDefaultTimeout(ACTION_TIMEOUT_MS);
        ctx.setDefaultNavigationTimeout(20_000);
        contexts.push(ctx);
        return ctx;
      },
      async newPage(opts = {}) {
        const ctx = await t.newContext(opts);
        return ctx.newPage();
      },
    };
    const started = Date.now();
    let error = null;
    try {
      await withTimeout(Promise.resolve().then(() => fn(t)), TEST_TIMEOUT_MS, `test "${name}"`);
    } catch (e) {
      error = e;
    }
    // Close what the test opened, even when it timed out in the middle of an action.
    await Promise.allSettled(contexts.map((c) => withTimeout(c.close(), 10_000, 'closing a browser context')));
    killAllChildren();
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (error) {
      failed += 1;
      console.log(`FAIL ${name} (${secs} s)`);
      const text = error instanceof CheckFailed ? error.message : (error.stack || String(error));
      for (const line of text.split('\n')) console.log(`     ${line}`);
    } else {
      passed += 1;
      console.log(`ok   ${name} (${secs} s)`);
    }
    for (const n of notes) {
      for (const line of String(n).split('\n')) console.log(`     # ${line}`);
    }
  }

  await withTimeout(browser.close(), 15_000, 'closing Chromium').catch((e) => console.log(`# ${e.message}`));
  killAllChildren();
  clearTimeout(watchdog);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0;
}
