/**
 * Thousands of random and hostile inputs to every importer: each returns settings or clear errors,
 * never throws, and never touches Object.prototype.
 */
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import { importCommandLine } from './commandLine';
import type { ImportResult } from './importer';
import { importJsonConfig } from './jsonConfig';
import { sanitizeSettings } from './persistence';
import { SETTING_KEYS, defaultSettings } from './schema';
import { importUrlParams } from './urlParams';

const prototypeNames = Object.getOwnPropertyNames(Object.prototype).sort();

afterEach(() => {
  expect(Object.getOwnPropertyNames(Object.prototype).sort()).toEqual(prototypeNames);
  expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  expect(({} as Record<string, unknown>).thresh).toBeUndefined();
});

const HOSTILE = [
  '__proto__', 'constructor', 'prototype', '--__proto__', '--constructor', '--prototype', '--__proto__.polluted',
  '--llm_gen___proto__', '--llm_gen_constructor', '--stt_gen_prototype', '--no___proto__', '--no_constructor',
  '"', "'", '\\', '`', '$', '${x}', '$(rm -rf /)', '&&', '||', ';', '|', '>', '<', '(', ')', '{', '}', '#', '*', '?', '~',
  '--', '---', '-', '--=', '--thresh=', '--=x', '=', 'NaN', 'nan', 'inf', '-inf', 'Infinity', '1e309', '-1e309',
  '99999999999999999999999', '0x10', '1_000', '0b1', '1e-400', '-0', '+0', '0.1.2', '',
  '日本語', '\u0000', '\u202e', '\ud800', '\udfff', '\ufeff', '🤖', 'é', '\r\n', '\t', '\\\n',
  '{"__proto__": {"polluted": true}}', '{"constructor": {"prototype": {"polluted": true}}}',
];

const FLAGS = [...SETTING_KEYS.map((key) => `--${key}`), '--no_smart_turn', '--llm_gen_top_p', '--host', '--lm_model_name', '--stt'];

const word = fc.oneof(
  fc.constantFrom(...HOSTILE),
  fc.constantFrom(...FLAGS),
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme-ascii', maxLength: 30 }),
  fc.double().map(String),
  fc.bigInt().map(String),
);

const hostileText = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 200 }),
  fc.array(word, { maxLength: 12 }).map((words) => words.join(' ')),
  fc.array(fc.tuple(fc.constantFrom(...FLAGS), word), { maxLength: 8 }).map((pairs) => pairs.flat().join(' ')),
);

function expectClear(result: ImportResult): void {
  expect(typeof result.ok).toBe('boolean');
  expect(result.warnings.every((warning) => typeof warning === 'string' && warning.length > 0)).toBe(true);
  if (result.ok) {
    expect(Object.keys(result.settings).sort()).toEqual([...SETTING_KEYS].sort());
  } else {
    expect(result.errors.length).toBeGreaterThan(0);
    expect(result.errors.every((error) => typeof error === 'string' && error.length > 0)).toBe(true);
  }
}

const jsonValue = fc.oneof(
  fc.constantFrom<unknown>(null, true, false, 0, -1, 1e308, 'inf', '', '__proto__', [], {}, { polluted: true }),
  fc.jsonValue({ maxDepth: 3 }),
  word,
);

const hostileJson = fc.oneof(
  hostileText,
  fc.dictionary(fc.oneof(fc.constantFrom(...HOSTILE, ...SETTING_KEYS, 'llm_gen_top_p', 'llm_gen_kwargs'), fc.string()), jsonValue).map((object) => JSON.stringify(object)),
  fc.array(fc.tuple(fc.constantFrom('__proto__', 'constructor', ...SETTING_KEYS), jsonValue), { maxLength: 6 }).map(
    // JSON.stringify cannot write an own "__proto__" key; a hand-built file can.
    (pairs) => `{${pairs.map(([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value) ?? 'null'}`).join(', ')}}`,
  ),
  fc.jsonValue().map((value) => JSON.stringify(value)),
);

const hostileQuery = fc.oneof(
  hostileText,
  fc.array(fc.tuple(fc.constantFrom(...HOSTILE, ...SETTING_KEYS, 'no_smart_turn', 'llm_gen_seed', 'responses_api_api_key'), word), { maxLength: 8 }).map((pairs) =>
    new URLSearchParams(pairs).toString(),
  ),
  fc.string({ unit: 'binary', maxLength: 100 }).map((text) => `?${text}`),
);

describe('importers never throw on hostile input', () => {
  const current = defaultSettings();

  it('command line', () => {
    fc.assert(fc.property(hostileText, (line) => { expectClear(importCommandLine(line, current)); }), { numRuns: 4000 });
  });

  it('JSON config', () => {
    fc.assert(fc.property(hostileJson, (source) => { expectClear(importJsonConfig(source, current)); }), { numRuns: 4000 });
  });

  it('URL parameters', () => {
    fc.assert(fc.property(hostileQuery, (query) => { expectClear(importUrlParams(query, current).result); }), { numRuns: 4000 });
  });

  it('saved settings', () => {
    fc.assert(
      fc.property(hostileJson, (source) => {
        let saved: unknown;
        try {
          saved = JSON.parse(source);
        } catch {
          saved = source;
        }
        const { settings, problems } = sanitizeSettings(saved);
        expect(Object.keys(settings).sort()).toEqual([...SETTING_KEYS].sort());
        expect(problems.every((problem) => typeof problem === 'string')).toBe(true);
      }),
      { numRuns: 4000 },
    );
  });

  it('an own "__proto__" key in a JSON config is reported, not applied to the prototype', () => {
    const result = importJsonConfig('{"__proto__": {"polluted": true, "thresh": 0.1}, "constructor": {"prototype": {"polluted": true}}}', current);
    expect(result.ok).toBe(true);
    expect(result.warnings).toHaveLength(2);
    if (result.ok) expect(result.settings.thresh).toBe(0.6);
  });

  it('an 100 kB argument is rejected with its length, not echoed whole', () => {
    const result = importCommandLine(`--init_chat_prompt '${'x'.repeat(100_001)}'`, current);
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.errors[0]).toContain('100001 characters');
      expect(result.errors[0]?.length).toBeLessThan(300);
    }
  });
});
