/**
 * Every export reads back as what was exported: settings -> command line -> settings, -> JSON ->
 * settings, -> URL -> settings and -> YAML configuration file -> settings are identities, for random
 * valid values of every schema entry.
 */
import fc from 'fast-check';
import { describe, it } from 'vitest';
import { exportCommandLine, importCommandLine } from './commandLine';
import { defaultsKeepingSecrets, type ImportResult } from './importer';
import { exportJsonConfig, importJsonConfig } from './jsonConfig';
import { SETTING_KEYS, defaultSettings, entryOf, type SettingKey, type Settings } from './schema';
import { exportUrlParams, importUrlParams } from './urlParams';
import { exportYamlConfig, importYamlPipeline, readYamlConfig } from './yamlConfig';

/** Candidate values of a kind, kept only where the entry's own type accepts them. */
function valueArbitrary(key: SettingKey): fc.Arbitrary<unknown> {
  const type = entryOf(key).type;
  let candidates: fc.Arbitrary<unknown>;
  switch (type.kind) {
    case 'bool':
      candidates = fc.boolean();
      break;
    case 'int':
      candidates = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 0, max: 200_000 }), fc.constantFrom(16_000, 24_000));
      break;
    case 'float':
      candidates = fc.oneof(
        fc.double({ min: 0, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 10, noNaN: true }),
        fc.double({ min: 0, max: 1e7, noNaN: true }),
        fc.constant(Infinity),
      );
      break;
    case 'choice':
      candidates = fc.constantFrom(...(type.values ?? []));
      break;
    case 'text':
      candidates = fc.oneof(
        fc.string({ unit: 'grapheme' }),
        fc.string({ unit: 'grapheme-ascii', minLength: 1 }),
        fc.constantFrom("it's", '"quoted"', '-dash first', '$HOME', 'a\\\nb', '  padded  ', '*', '#hash', 'line\none', '日本語 ✓ é'),
        fc.webUrl(),
        fc.webUrl({ validSchemes: ['ws', 'wss'] }),
        fc.stringMatching(/^[a-z]{2}_[a-z0-9]{1,8}$/),
        fc.constantFrom('/models/', '/a b/'),
      );
      break;
    case 'genKwargs':
      candidates = fc.dictionary(fc.stringMatching(/^[a-z][a-z0-9_]{0,10}$/), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });
      break;
  }
  if (type.optional) candidates = fc.oneof(fc.constant(null), candidates);
  return candidates
    .map((candidate) => type.fromJson(candidate))
    .filter((result) => result.ok)
    .map((result) => (result as { value: unknown }).value);
}

const settingsArbitrary: fc.Arbitrary<Settings> = fc.record(
  Object.fromEntries(SETTING_KEYS.map((key) => [key, valueArbitrary(key)])) as Record<SettingKey, fc.Arbitrary<unknown>>,
) as fc.Arbitrary<Settings>;

function expectSame(result: ImportResult, expected: Settings): void {
  if (!result.ok) throw new Error(`import failed: ${result.errors.join(' | ')}`);
  for (const key of SETTING_KEYS) {
    const type = entryOf(key).type;
    if (!type.equals(result.settings[key], expected[key])) {
      throw new Error(`${key}: got ${JSON.stringify(result.settings[key])}, expected ${JSON.stringify(expected[key])}`);
    }
  }
}

const codecs = {
  'command line': (settings: Settings) => importCommandLine(exportCommandLine(settings), settings),
  JSON: (settings: Settings) => importJsonConfig(exportJsonConfig(settings), settings),
  URL: (settings: Settings) => importUrlParams(exportUrlParams(settings), defaultsKeepingSecrets(settings)).result,
};

describe.each(Object.entries(codecs))('settings -> %s -> settings', (_name, roundTrip) => {
  it.each(SETTING_KEYS)('keeps every valid value of %s', (key) => {
    fc.assert(
      fc.property(valueArbitrary(key), (value) => {
        const settings = { ...defaultSettings(), [key]: value };
        expectSame(roundTrip(settings), settings);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps whole random settings', () => {
    fc.assert(
      fc.property(settingsArbitrary, (settings) => {
        expectSame(roundTrip(settings), settings);
      }),
      { numRuns: 300 },
    );
  });
});

/** A configuration file describes a pipeline, so it is checked with the pipeline in the page. */
function yamlRoundTrip(settings: Settings): ImportResult {
  const read = readYamlConfig(exportYamlConfig(settings));
  if (!read.ok) return { ok: false, errors: read.errors, warnings: [] };
  return importYamlPipeline(read.config, 'main', {}, settings);
}

describe('settings -> YAML configuration file -> settings', () => {
  it.each(SETTING_KEYS.filter((key) => key !== 'pipeline'))('keeps every valid value of %s', (key) => {
    fc.assert(
      fc.property(valueArbitrary(key), (value) => {
        const settings = { ...defaultSettings(), [key]: value };
        expectSame(yamlRoundTrip(settings), settings);
      }),
      { numRuns: 40 },
    );
  });

  it('keeps whole random settings', () => {
    fc.assert(
      fc.property(settingsArbitrary, (random) => {
        const settings: Settings = { ...random, pipeline: 'local' };
        expectSame(yamlRoundTrip(settings), settings);
      }),
      { numRuns: 200 },
    );
  });
});
