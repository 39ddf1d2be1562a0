import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { expect, test } from '@playwright/test';
import { FIRST_LOAD_BUDGET_GZIP, firstLoadScripts, kilobytes, siteFiles } from './siteSize';

const DIST = resolve(import.meta.dirname, '../dist');

/** Text only a library's own code holds, to tell it is there. */
const LIBRARIES = {
  'the openai SDK client': 'OPENAI_API_KEY',
  'transformers.js': 'WhisperFeatureExtractor',
  'onnxruntime-web': 'InferenceSession',
  'web-llm': 'MLCEngine',
  'the Agents SDK’s Realtime client': 'requires an ephemeral client key',
};

test.describe('the built site', () => {
  test(`loads at most ${kilobytes(FIRST_LOAD_BUDGET_GZIP)} of gzipped JavaScript before Start, without the stages' libraries`, () => {
    const scripts = firstLoadScripts(DIST);
    const total = scripts.reduce((sum, file) => sum + file.gzipBytes, 0);
    const listing = scripts.map((file) => `${file.path} ${kilobytes(file.gzipBytes)} gzipped`).join(', ');
    expect(scripts.length, 'index.html names its entry script').toBeGreaterThan(0);
    expect(total, `first load: ${listing}`).toBeLessThanOrEqual(FIRST_LOAD_BUDGET_GZIP);
    const everyScript = siteFiles(DIST).filter((file) => file.path.endsWith('.js'));
    for (const [library, marker] of Object.entries(LIBRARIES)) {
      // The library is in the site (so its absence below means something), only later.
      expect(everyScript.some((file) => readFileSync(join(DIST, file.path), 'utf8').includes(marker)), `${library} is in the site`).toBe(true);
      const holding = scripts.filter((file) => readFileSync(join(DIST, file.path), 'utf8').includes(marker)).map((file) => file.path);
      expect(holding, `${library} is loaded before Start by ${holding.join(', ')}`).toEqual([]);
    }
  });

  test('the VAD worker holds one WebAssembly runtime: its own onnxruntime-web, not transformers.js (Smart Turn’s features are plain arithmetic)', () => {
    const workers = siteFiles(DIST).filter((file) => /vad\.worker-[^/]*\.js$/.test(file.path));
    expect(workers).toHaveLength(1);
    const code = readFileSync(join(DIST, (workers[0] as { path: string }).path), 'utf8');
    expect(code).toContain(LIBRARIES['onnxruntime-web']);
    expect(code).not.toContain(LIBRARIES['transformers.js']);
    // transformers.js brings its own onnxruntime-web build, whose loader names the asyncify (JSEP) WebAssembly.
    expect(code).not.toContain('asyncify');
  });
});
