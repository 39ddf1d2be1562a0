import { describe, expect, it } from 'vitest';
import { defaultSettings, pickSettings } from '../../settings/schema';
import type { LanguageModelBackend, LanguageModelLoader } from './languageModelBackend';
import { LANGUAGE_MODEL_SETTINGS, type LanguageModelSettings } from './languageModelBackend';
import { LanguageModels, type LanguageModelStatus } from './languageModels';

const settings = (overrides: Partial<LanguageModelSettings> = {}): LanguageModelSettings => ({ ...pickSettings(defaultSettings(), LANGUAGE_MODEL_SETTINGS), ...overrides });

function fakeLoader(failFirst = false) {
  const loaded: string[] = [];
  const disposed: string[] = [];
  const configured: (number | null)[] = [];
  let calls = 0;
  const loader: LanguageModelLoader = (picked, progress) => {
    calls++;
    if (failFirst && calls === 1) return Promise.reject(new Error('The language model x could not be loaded (404).'));
    const name = picked.model_name ?? 'default';
    loaded.push(name);
    progress.onFile({ file: 'model.onnx', loaded: 10, total: 10, done: true });
    const backend: LanguageModelBackend = {
      concurrent: false,
      streamed: true,
      description: `${name} on WASM`,
      stream: () => (async function* () {})(),
      configure: (next) => configured.push(next.llm_gen_max_new_tokens),
      dispose: () => disposed.push(name),
    };
    return Promise.resolve(backend);
  };
  return { loader, loaded, disposed, configured };
}

describe('LanguageModels', () => {
  it('loads a local model once, with progress; reloads (and frees the old one) only when a setting that chooses it changes', async () => {
    const statuses: LanguageModelStatus['kind'][] = [];
    const { loader, loaded, disposed, configured } = fakeLoader();
    const models = new LanguageModels((status) => statuses.push(status.kind), { transformers: loader, 'web-llm': loader });
    const first = await models.backend(settings());
    expect(await models.backend(settings({ llm_gen_max_new_tokens: 64 }))).toBe(first);
    expect(configured).toEqual([1024, 64]);
    expect(loaded).toEqual(['default']);
    expect(statuses).toEqual(['loading', 'file', 'ready']);
    await models.backend(settings({ model_name: 'other' }));
    expect(loaded).toEqual(['default', 'other']);
    await Promise.resolve();
    expect(disposed).toEqual(['default']);
  });

  it('a failed load says why and is tried again on the next reply', async () => {
    const statuses: LanguageModelStatus[] = [];
    const { loader, loaded } = fakeLoader(true);
    const models = new LanguageModels((status) => statuses.push(status), { transformers: loader, 'web-llm': loader });
    await expect(models.backend(settings())).rejects.toThrow('could not be loaded');
    expect(statuses.at(-1)).toEqual({ kind: 'failed', label: 'transformers.js', message: 'The language model x could not be loaded (404).' });
    await models.backend(settings());
    expect(loaded).toEqual(['default']);
  });

  it('keeps an API backend while its settings stay the same, and frees the local model for it', async () => {
    const { loader, disposed } = fakeLoader();
    const models = new LanguageModels(() => undefined, { transformers: loader, 'web-llm': loader });
    await models.backend(settings());
    const api = settings({ llm_backend: 'chat-completions', responses_api_base_url: 'http://localhost:8000/v1' });
    const first = await models.backend(api);
    expect(first.description).toBe('http://localhost:8000/v1');
    expect(await models.backend({ ...api })).toBe(first);
    expect(await models.backend({ ...api, llm_gen_temperature: 0.5 })).not.toBe(first);
    expect(disposed).toEqual(['default']);
  });
});
