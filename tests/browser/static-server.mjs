// A small static server that behaves like GitHub Pages for a project site: the site lives
// under a sub-path, a folder serves its index.html (and redirects to add a missing slash),
// an unknown path under the sub-path gets the site's own 404.html with status 404, and
// every file gets its content type. No compression: transfer sizes are the file sizes.

import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'application/javascript; charset=utf-8',
  '.mjs': 'application/javascript; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.jsonl': 'application/octet-stream',
  '.svg': 'image/svg+xml',
  '.xml': 'application/xml',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.pdf': 'application/pdf',
};

export function contentType(file) {
  return TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream';
}

function isFile(p) {
  try { return fs.statSync(p).isFile(); } catch { return false; }
}

function isDir(p) {
  try { return fs.statSync(p).isDirectory(); } catch { return false; }
}

/**
 * Serves `root` under `prefix` (like "/ai-packs/") on 127.0.0.1 at `port` (0: any free one).
 * Resolves with { port, origin, close(), log } where log lists [status, url] of every request.
 */
export function startStaticServer(root, prefix, port = 0) {
  const log = [];
  const server = http.createServer((req, res) => {
    const send = (status, headers, body) => {
      log.push([status, req.url]);
      res.writeHead(status, { 'Cache-Control': 'max-age=600', ...headers });
      res.end(req.method === 'HEAD' ? undefined : body);
    };
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      return send(405, { 'Content-Type': 'text/plain' }, 'method not allowed');
    }
    let pathname;
    try {
      pathname = decodeURIComponent(new URL(req.url, 'http://127.0.0.1').pathname);
    } catch {
      return send(400, { 'Content-Type': 'text/plain' }, 'bad request');
    }
    const notFound = () => {
      const page = path.join(root, '404.html');
      if (isFile(page)) return send(404, { 'Content-Type': TYPES['.html'] }, fs.readFileSync(page));
      return send(404, { 'Content-Type': 'text/plain' }, 'not found (and the site has no 404.html)');
    };
    if (pathname === prefix.replace(/\/$/, '')) {
      return send(301, { Location: prefix }, '');
    }
    if (!pathname.startsWith(prefix)) {
      // Outside the project site: GitHub's own 404, not the site's.
      return send(404, { 'Content-Type': 'text/plain' }, 'not found (outside the project site)');
    }
    const rest = pathname.slice(prefix.length);
    if (rest.includes('\0') || rest.includes('\\') || rest.split('/').some((s) => s === '..' || s === '.')) {
      return notFound();
    }
    let file = path.join(root, rest);
    if (rest === '' || rest.endsWith('/')) {
      file = path.join(file, 'index.html');
    } else if (isDir(file)) {
      if (isFile(path.join(file, 'index.html'))) return send(301, { Location: `${pathname}/` }, '');
      return notFound();
    }
    if (!isFile(file)) return notFound();
    const body = fs.readFileSync(file);
    return send(200, { 'Content-Type': contentType(file), 'Content-Length': body.length }, body);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const actual = server.address().port;
      resolve({
        port: actual,
        origin: `http://127.0.0.1:${actual}`,
        log,
        close: () => new Promise((r) => {
          server.closeAllConnections?.();
          server.close(() => r());
        }),
      });
    });
  });
}
