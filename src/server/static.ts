// The built web app's static files (web/dist) served by the API server at `/`: GET and HEAD only, never outside
// the app folder. A request path is decoded once and refused (400) when it holds a NUL, a backslash, a `..` or a
// dot-file segment, or an encoded slash; the resolved file must lie under the folder's real path (symbolic links
// included). Folders answer their index.html; unknown files 404. Paths under /v1 are the API's, never files.
import { createReadStream, existsSync, realpathSync, statSync } from 'node:fs';
import { extname, join, sep } from 'node:path';

export const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.webp': 'image/webp',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

export type StaticLookup =
  | { kind: 'file'; file: string; size: number; type: string; immutable: boolean }
  | { kind: 'bad-path'; detail: string }
  | { kind: 'not-found' };

/** The file of `root` a URL path names (the path part of the request URL, still percent-encoded). */
export function staticFile(root: string, urlPath: string): StaticLookup {
  let decoded: string;
  try {
    // %2F / %5C would smuggle a separator past the segment checks below.
    if (/%(2f|5c|00)/i.test(urlPath)) return { kind: 'bad-path', detail: 'encoded slashes, backslashes and NUL are not allowed in a file path' };
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'bad-path', detail: 'the path is not valid percent-encoding' };
  }
  if (!decoded.startsWith('/') || decoded.includes('\0') || decoded.includes('\\')) return { kind: 'bad-path', detail: 'the path must start with / and hold no backslash or NUL' };
  const segments = decoded.split('/').filter((s) => s !== '');
  if (segments.some((s) => s === '..' || s === '.' || s.startsWith('.'))) return { kind: 'bad-path', detail: "'.' and '..' segments and dot-files are not served" };
  let base: string;
  try {
    base = realpathSync(root);
  } catch {
    return { kind: 'not-found' };
  }
  let file = join(base, ...segments);
  if (!existsSync(file)) return { kind: 'not-found' };
  let real = realpathSync(file);
  if (real !== base && !real.startsWith(base + sep)) return { kind: 'bad-path', detail: 'the path leaves the app folder' };
  if (statSync(real).isDirectory()) {
    file = join(real, 'index.html');
    if (!existsSync(file)) return { kind: 'not-found' };
    real = realpathSync(file);
    if (!real.startsWith(base + sep)) return { kind: 'bad-path', detail: 'the path leaves the app folder' };
  }
  const st = statSync(real);
  if (!st.isFile()) return { kind: 'not-found' };
  // vite names the files under assets/ by their content hash: they never change under the same name.
  return { kind: 'file', file: real, size: st.size, type: CONTENT_TYPES[extname(real).toLowerCase()] ?? 'application/octet-stream', immutable: segments[0] === 'assets' && segments.length > 1 };
}

export const openStatic = (file: string) => createReadStream(file);
