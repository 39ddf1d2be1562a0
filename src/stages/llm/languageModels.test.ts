import { describe, expect, it } from 'vitest';
import { defaultSettings, pickSettings } from '../../settings/schema';
import type { LanguageModelBackend, LanguageModelLoader } from './languageModelBackend';
import { LANGUAGE_MODEL_SETTINGS, type LanguageModelSettings } from './languageModelBackend';
import { LanguageModels, type LanguageModelStatus } from './languageModels';
import { probeGpu } from '../../models/capabilities';
import { RestartPolicy } from '../../worker/restartPolicy';
import { StageError } from '../../worker/stageError';

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

  it('a model that stops after loading is loaded again by itself once, then only when asked', async () => {
    const statuses: LanguageModelStatus[] = [];
    const stops: ((error: StageError) => void)[] = [];
    const disposed: number[] = [];
    let loads = 0;
    const loader: LanguageModelLoader = (_picked, progress) => {
      const id = ++loads;
      if (progress.onStopped) stops.push(progress.onStopped);
      return Promise.resolve({ concurrent: false, streamed: true, description: `load ${id}`, stream: () => (async function* () {})(), configure: () => undefined, dispose: () => disposed.push(id) });
    };
    let now = 0;
    const models = new LanguageModels((status) => statuses.push(status), { transformers: loader, 'web-llm': loader }, 1000, new RestartPolicy(60_000, () => now));
    const first = await models.backend(settings());
    stops[0]?.(new StageError('crashed', 'The language model worker stopped (out of memory).'));
    expect(disposed).toEqual([]);
    await Promise.resolve();
    expect(disposed).toEqual([1]);
    expect(statuses.find((status) => status.kind === 'stopped')).toEqual({ kind: 'stopped', label: 'transformers.js', message: 'The language model worker stopped (out of memory).', restarting: true });
    const second = await models.backend(settings());
    expect(second).not.toBe(first);
    expect(second.description).toBe('load 2');
    expect(loads).toBe(2);

    // A second stop soon after: no loop of restarts; the page offers one.
    now = 1000;
    stops[1]?.(new StageError('unresponsive', 'The language model worker did not stop within 5 s when asked, so it was stopped.'));
    expect(statuses.at(-1)).toMatchObject({ kind: 'stopped', restarting: false });
    expect(loads).toBe(2);
    // A stop reported by a backend already replaced changes nothing.
    stops[0]?.(new StageError('crashed', 'late'));
    expect(loads).toBe(2);
    models.restart(settings());
    expect((await models.backend(settings())).description).toBe('load 3');
  });

  it('a lost GPU loads the model again on WASM, and says so', async () => {
    const statuses: LanguageModelStatus[] = [];
    const stops: ((error: StageError) => void)[] = [];
    const loader: LanguageModelLoader = (_picked, progress) => {
      if (progress.onStopped) stops.push(progress.onStopped);
      return Promise.resolve({ concurrent: false, streamed: true, description: 'model', stream: () => (async function* () {})(), configure: () => undefined, dispose: () => undefined });
    };
    const models = new LanguageModels((status) => statuses.push(status), { transformers: loader, 'web-llm': loader });
    await models.backend(settings());
    stops[0]?.(new StageError('gpu-lost', 'The GPU stopped working (device lost).'));
    expect(statuses.at(-2)).toEqual({ kind: 'stopped', label: 'transformers.js', message: 'The GPU stopped working (device lost). The language model is loading again on the CPU (WASM), which is slower.', restarting: true });
    await expect(probeGpu()).resolves.toMatchObject({ webgpu: false, description: 'WebGPU lost its device during this visit' });
  });

  it('a load that reports nothing for the bound fails with what to check; a model that arrives later is let go', async () => {
    const statuses: LanguageModelStatus[] = [];
    let arrive: (backend: LanguageModelBackend) => void = () => undefined;
    const disposed: string[] = [];
    const loader: LanguageModelLoader = () => new Promise((resolve) => (arrive = resolve));
    const models = new LanguageModels((status) => statuses.push(status), { transformers: loader, 'web-llm': loader }, 50);
    await expect(models.backend(settings({ llm_backend: 'web-llm' }))).rejects.toMatchObject({ code: 'unresponsive', message: 'The web-llm model stopped loading: nothing arrived for 0.05 s. Check your connection, then start again.' });
    expect(statuses.at(-1)).toMatchObject({ kind: 'failed', label: 'web-llm' });
    arrive({ concurrent: false, streamed: true, description: 'late', stream: () => (async function* () {})(), configure: () => undefined, dispose: () => disposed.push('late') });
    await expect.poll(() => disposed).toEqual(['late']);
  });
});
