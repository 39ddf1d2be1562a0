/**
 * The built site's weight: every file's bytes, raw and gzipped, and the JavaScript a visitor loads
 * before pressing Start (the entry script and what it imports statically; dynamic imports,
 * workers and worklets load later, when a stage starts).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { gzipSync } from 'node:zlib';

/** What a first visit may load before Start: the page, React, the store and the settings schema. */
export const FIRST_LOAD_BUDGET_GZIP = 300 * 1024;

export interface SiteFile {
  /** Relative to the site's root, as the page names it. */
  readonly path: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

function filesUnder(root: string, folder = root): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => (entry.isDirectory() ? filesUnder(root, join(folder, entry.name)) : [relative(root, join(folder, entry.name))]));
}

export function siteFile(root: string, path: string): SiteFile {
  const bytes = readFileSync(join(root, path));
  return { path, bytes: bytes.length, gzipBytes: gzipSync(bytes, { level: 9 }).length };
}

/** Every file of the site, largest first. */
export function siteFiles(root: string): SiteFile[] {
  return filesUnder(root)
    .map((path) => siteFile(root, path))
    .sort((a, b) => b.bytes - a.bytes);
}

/** `import ... from "./x.js"` and `import "./x.js"` in a built chunk: the modules it needs before it runs. */
function staticImports(code: string): string[] {
  return [...code.matchAll(/(?:^|[;}\s])import\s*(?:[\w$*{}\s,]+from\s*)?["'](\.{1,2}\/[^"']+\.js)["']/g)].map((match) => match[1] as string);
}

/** The scripts index.html loads before anyone presses anything: its module scripts and their static imports. */
export function firstLoadScripts(root: string): SiteFile[] {
  const html = readFileSync(join(root, 'index.html'), 'utf8');
  const entries = [...html.matchAll(/<(?:script[^>]*\bsrc|link[^>]*\brel="modulepreload"[^>]*\bhref)="\.?\/?([^"]+\.js)"/g)].map((match) => match[1] as string);
  const seen = new Set<string>();
  const pending = [...entries];
  while (pending.length > 0) {
    const path = pending.pop() as string;
    if (seen.has(path)) continue;
    seen.add(path);
    const folder = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '.';
    for (const imported of staticImports(readFileSync(join(root, path), 'utf8'))) pending.push(relative('.', join(folder, imported)));
  }
  return [...seen].map((path) => siteFile(root, path));
}

export const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
