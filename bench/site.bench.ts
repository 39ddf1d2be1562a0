import { resolve } from 'node:path';
import { test } from '@playwright/test';
import { FIRST_LOAD_BUDGET_GZIP, firstLoadScripts, kilobytes, siteFiles } from '../e2e/siteSize';

/** The built site's weight (`npm run bench` builds it first): every file, raw and gzipped, and the first load against its budget. */
test('site: bytes of every chunk, and the JavaScript loaded before Start', () => {
  const dist = resolve(import.meta.dirname, '../dist');
  const files = siteFiles(dist);
  const first = firstLoadScripts(dist);
  const firstTotal = first.reduce((sum, file) => sum + file.gzipBytes, 0);
  const lines = [
    `Site (dist/): ${files.length} files, ${kilobytes(files.reduce((sum, file) => sum + file.bytes, 0))} in all`,
    ...files.map((file) => `  ${file.path}: ${kilobytes(file.bytes)}, ${kilobytes(file.gzipBytes)} gzipped`),
    `First load before Start: ${first.map((file) => file.path).join(', ')}: ${kilobytes(firstTotal)} gzipped (budget ${kilobytes(FIRST_LOAD_BUDGET_GZIP)})`,
  ];
  console.log(lines.join('\n'));
});
