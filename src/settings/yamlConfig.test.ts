import { describe, expect, it } from 'vitest';
import { defaultSettings } from './schema';
import { importYamlPipeline, readYamlConfig, type YamlRead } from './yamlConfig';

/** The example of the reference's docs/configuration.md. */
const REFERENCE_EXAMPLE = `schema_version: 1
runtime:
  log_level: info
  log_transcripts: false
  server:
    host: 127.0.0.1
    port: 8765
blocks:
  vad_main:
    kind: vad
    backend: silero
    settings:
      sample_rate: 16000
      max_speech_ms: null
  stt_primary:
    kind: stt
    backend: openai
    settings:
      openai_stt_base_url: http://localhost:8000/v1
      openai_stt_api_key: {env: PRIMARY_STT_KEY}
  stt_secondary:
    kind: stt
    backend: openai
    settings:
      openai_stt_base_url: http://localhost:8001/v1
  llm_main:
    kind: llm
    backend: chat-completions
    settings:
      model_name: served-chat-model
      responses_api_base_url: http://localhost:8080/v1
      responses_api_api_key: ""
  tts_main:
    kind: tts
    backend: openai
    settings:
      openai_tts_base_url: http://localhost:8091/v1
pipelines:
  primary:
    num_pipelines: 2
    stages: {vad: vad_main, stt: stt_primary, llm: llm_main, tts: tts_main}
  secondary:
    stages: {vad: vad_main, stt: stt_secondary, llm: llm_main, tts: tts_main}
`;

const MINIMAL = (blockSettings = '', extra = '') => `schema_version: 1
blocks:
  vad: {kind: vad, backend: silero}
  stt: {kind: stt, backend: whisper${blockSettings ? `, settings: {${blockSettings}}` : ''}}
  llm: {kind: llm, backend: transformers}
  tts: {kind: tts, backend: kokoro}
pipelines:
  main:
    stages: {vad: vad, stt: stt, llm: llm, tts: tts}
${extra}`;

function read(source: string): Extract<YamlRead, { ok: true }> {
  const result = readYamlConfig(source);
  if (!result.ok) throw new Error(result.errors.join(' | '));
  return result;
}

function errors(source: string): string {
  const result = readYamlConfig(source);
  if (result.ok) throw new Error('expected the file to be refused');
  return result.errors.join('\n');
}

describe('the reference’s YAML configuration file', () => {
  it('reads the reference’s example: its pipelines, and the environment values each one needs', () => {
    const { pipelines } = read(REFERENCE_EXAMPLE);
    expect(pipelines.map(({ name, env }) => ({ name, env }))).toEqual([
      { name: 'primary', env: ['PRIMARY_STT_KEY'] },
      { name: 'secondary', env: [] },
    ]);
  });

  it('turns the picked pipeline’s blocks into settings, the environment value as the user entered it', () => {
    const { config } = read(REFERENCE_EXAMPLE);
    const result = importYamlPipeline(config, 'primary', { PRIMARY_STT_KEY: 'replace-with-a-secret' }, defaultSettings());
    if (!result.ok) throw new Error(result.errors.join(' | '));
    const { settings, warnings } = result;
    expect(settings).toMatchObject({
      pipeline: 'local',
      stt: 'openai',
      openai_stt_base_url: 'http://localhost:8000/v1',
      openai_stt_api_key: 'replace-with-a-secret',
      llm_backend: 'chat-completions',
      model_name: 'served-chat-model',
      responses_api_base_url: 'http://localhost:8080/v1',
      tts: 'openai',
      openai_tts_base_url: 'http://localhost:8091/v1',
      max_speech_ms: Infinity,
    });
    expect(warnings.join('\n')).toContain('num_pipelines was ignored');
    expect(warnings.join('\n')).toContain('runtime.server was ignored');
    expect(warnings.join('\n')).toContain('sample_rate was ignored');
  });

  it('asks for an environment value instead of guessing it', () => {
    const { config } = read(REFERENCE_EXAMPLE);
    const result = importYamlPipeline(config, 'primary', {}, defaultSettings());
    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors).toEqual(['openai_stt_api_key needs the value of PRIMARY_STT_KEY: enter it to import this pipeline.']);
    expect(importYamlPipeline(config, 'secondary', {}, defaultSettings()).ok).toBe(true);
  });

  it('reads values from the environment by the setting’s type, exactly', () => {
    const { config } = read(MINIMAL('', '    options: {enable_live_transcription: {env: LIVE}}\n'));
    const live = (text: string) => importYamlPipeline(config, 'main', { LIVE: text }, defaultSettings());
    expect(live('false').ok && live('false')).toMatchObject({ settings: { enable_live_transcription: false } });
    expect(live('no').ok).toBe(false);
  });

  it('keeps words, dates and leading-zero numbers as text; only lowercase true, false, null and decimal numbers are not', () => {
    const { config } = read(MINIMAL('stt_model_name: yes, openai_stt_model: 2026-01-01, model_name: 0123'));
    const result = importYamlPipeline(config, 'main', {}, defaultSettings());
    expect(result.ok && [result.settings.stt_model_name, result.settings.openai_stt_model, result.settings.model_name]).toEqual(['yes', '2026-01-01', '0123']);
    expect(errors(MINIMAL('stt_gen_max_new_tokens: "2"'))).toContain('stt_gen_max_new_tokens');
    expect(errors(MINIMAL('live_transcription_update_interval: .inf'))).toContain('live_transcription_update_interval');
  });

  it.each([
    ['anchors and aliases', MINIMAL('stt_model_name: &m tiny', '    options: {device: *m}\n'), 'anchors (&m) are not allowed'],
    ['an alias', MINIMAL('', '    options: {device: *x}\n'), 'alias'],
    ['explicit tags', MINIMAL('stt_model_name: !!str tiny'), 'explicit tags'],
    ['merge keys', MINIMAL('<<: {stt_model_name: tiny}'), 'merge keys (<<) are not allowed'],
    ['duplicate keys', MINIMAL('stt_model_name: a, stt_model_name: b'), 'Map keys must be unique'],
    ['two documents', `${MINIMAL()}---\n${MINIMAL()}`, 'holds 2 YAML documents'],
    ['an empty file', '', 'holds 0 YAML documents'],
    ['a list at the root', '- a\n', 'root must be a mapping'],
    ['schema_version as text', MINIMAL().replace('schema_version: 1', 'schema_version: "1"'), 'schema_version: must be the integer 1'],
    ['another schema_version', MINIMAL().replace('schema_version: 1', 'schema_version: 2'), 'schema_version: must be the integer 1'],
    ['no pipelines', 'schema_version: 1\nblocks:\n  vad: {kind: vad, backend: silero}\npipelines: {}\n', 'pipelines: must be a non-empty mapping'],
    ['a bad block id', MINIMAL().replace('  tts: {kind: tts', '  1tts: {kind: tts').replace('tts: tts}', 'tts: 1tts}'), 'blocks.1tts: a block id is a letter'],
    ['an unknown kind', MINIMAL().replace('kind: tts', 'kind: voice'), 'must be one of vad, stt, llm, tts'],
    ['an unknown block key', MINIMAL().replace('backend: kokoro', 'backend: kokoro, model: x'), 'blocks.tts.model: a block has only kind, backend and settings'],
    ['a selector in settings', MINIMAL('tts: kokoro'), 'the block’s backend selects this'],
    ['an unknown setting', MINIMAL('stt_modle_name: tiny'), 'did you mean'],
    ['a wrong value', MINIMAL('thresh: 7'), 'out of range'],
    ['a stage of the wrong kind', MINIMAL().replace('stt: stt, llm', 'stt: llm, llm'), 'block "llm" is of kind llm, not stt'],
    ['a missing stage', MINIMAL().replace(', tts: tts}', '}'), 'stages.tts: missing'],
    ['an unknown stage', MINIMAL().replace('tts: tts}', 'tts: tts, avatar: tts}'), 'stages.avatar: the stages are exactly'],
    ['a stage naming no block', MINIMAL().replace('tts: tts}', 'tts: speaker}'), 'there is no block "speaker"'],
    ['num_pipelines of 0', MINIMAL('', '    num_pipelines: 0\n'), 'num_pipelines: must be a positive integer'],
    ['num_pipelines as a boolean', MINIMAL('', '    num_pipelines: true\n'), 'num_pipelines: must be a positive integer'],
    ['a badly written environment value', MINIMAL('stt_model_name: {env: 9LIVES}'), 'an environment value is written {env: NAME}'],
    ['a VAD the browser cannot run', MINIMAL().replace('backend: silero', 'backend: firered'), 'does not run in a browser; use silero'],
    ['a bad unused block', MINIMAL().replace('blocks:\n', 'blocks:\n  spare: {kind: stt, backend: whisper, settings: {thresh: 9}}\n'), 'blocks.spare.settings.thresh'],
    ['nesting past 32 levels', MINIMAL('stt_gen_kwargs: {}').replace('stt_gen_kwargs: {}', `stt_gen_kwargs: ${'['.repeat(40)}${']'.repeat(40)}`), 'deeper than 32 levels'],
  ])('refuses %s, saying where and why', (_what, source, message) => {
    expect(errors(source)).toContain(message);
  });

  it('refuses a file over 1 MiB', () => {
    expect(errors(`# ${'x'.repeat(1024 * 1024)}\n${MINIMAL()}`)).toContain('larger than 1 MiB');
  });

  it('says where in the file an anchor is', () => {
    expect(errors(MINIMAL('stt_model_name: &m tiny'))).toMatch(/line 4, column \d+: anchors/);
  });
});

describe('a file the parser cannot take', () => {
  it('nested past the stack ends in one sentence, not a wall of errors', () => {
    const deep = `schema_version: 1\nblocks: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n`;
    expect(readYamlConfig(deep)).toEqual({ ok: false, errors: ['The file nests too deeply to be read (the reference allows 32 levels).'] });
  });

  it('nested deeper than the reference allows, within the stack, says so too', () => {
    const deep = `schema_version: 1\nblocks: ${'['.repeat(40)}${']'.repeat(40)}\n`;
    expect(errors(deep)).toContain('nests deeper than 32 levels');
  });

  it('says which setting each environment value sets, and where a key goes', () => {
    const { pipelines } = read(REFERENCE_EXAMPLE);
    expect(pipelines[0]?.environment).toEqual([{ name: 'PRIMARY_STT_KEY', settings: ['openai_stt_api_key'], sentTo: 'only to localhost:8000 (openai_stt_base_url)' }]);
    const fromEnvironment = read(MINIMAL('', '    options: {responses_api_api_key: {env: KEY}, responses_api_base_url: {env: WHERE}, model_name: {env: MODEL}}\n'));
    expect(fromEnvironment.pipelines[0]?.environment).toEqual([
      { name: 'KEY', settings: ['responses_api_api_key'], sentTo: 'only to the host that WHERE names (responses_api_base_url)' },
      { name: 'WHERE', settings: ['responses_api_base_url'], sentTo: 'the host it names receives your words and the conversation so far' },
      { name: 'MODEL', settings: ['model_name'], sentTo: null },
    ]);
  });
});
