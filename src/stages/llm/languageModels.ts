/**
 * The language model the settings ask for, kept between replies: a local model (transformers.js
 * or web-llm) is loaded once and reloaded only when a setting that chooses it changes; an API
 * backend is kept while its settings stay the same, so a background compaction is not cut short.
 * Loading is reported (progress, ready, failed) for the page.
 */
import type { LoadProgress } from '../../models/loadProgress';
import type { Settings } from '../../settings/schema';
import { errorMessage } from '../../worker/stageError';
import { apiBackend } from './apiBackend';
import type { LanguageModelBackend, LanguageModelLoader, LanguageModelSettings } from './languageModelBackend';
import { TransformersBackend } from './transformersBackend';

export type LanguageModelStatus =
  | { readonly kind: 'loading'; readonly label: string }
  | { readonly kind: 'file'; readonly progress: LoadProgress }
  | { readonly kind: 'step'; readonly fraction: number; readonly text: string }
  | { readonly kind: 'ready'; readonly label: string; readonly description: string }
  | { readonly kind: 'failed'; readonly label: string; readonly message: string };

type LocalBackendName = Extract<Settings['llm_backend'], 'transformers' | 'web-llm'>;

export const BACKEND_LABELS: Readonly<Record<Settings['llm_backend'], string>> = {
  transformers: 'transformers.js',
  'web-llm': 'web-llm',
  'responses-api': 'Responses API',
  'chat-completions': 'Chat Completions API',
};

const LOCAL_LOADERS: Readonly<Record<LocalBackendName, LanguageModelLoader>> = {
  transformers: TransformersBackend.load,
  // web-llm is large: it is fetched only when chosen.
  'web-llm': async (settings, progress) => (await import('./webLlmBackend')).WebLlmBackend.load(settings, progress),
};

/** A local model loads once; these settings decide which one. */
function localModelKey(settings: LanguageModelSettings): string {
  return JSON.stringify([settings.llm_backend, settings.model_name, settings.device, settings.llm_device, settings.llm_torch_dtype, settings.models_base_url]);
}

export class LanguageModels {
  private local: { key: string; backend: Promise<LanguageModelBackend> } | null = null;
  private api: { key: string; backend: LanguageModelBackend } | null = null;

  constructor(
    private readonly onStatus: (status: LanguageModelStatus) => void,
    private readonly loaders: Readonly<Record<LocalBackendName, LanguageModelLoader>> = LOCAL_LOADERS,
  ) {}

  /** The backend the settings ask for; a local model is loaded (or reloaded after a change) first. */
  async backend(settings: LanguageModelSettings): Promise<LanguageModelBackend> {
    const label = BACKEND_LABELS[settings.llm_backend];
    if (settings.llm_backend === 'chat-completions' || settings.llm_backend === 'responses-api') {
      this.disposeLocal();
      const key = JSON.stringify(settings);
      if (this.api?.key !== key) this.api = { key, backend: apiBackend(settings) };
      this.onStatus({ kind: 'ready', label, description: this.api.backend.description });
      return this.api.backend;
    }
    const key = localModelKey(settings);
    if (this.local?.key !== key) {
      this.disposeLocal();
      this.local = { key, backend: this.load(this.loaders[settings.llm_backend], settings, label) };
    }
    const loading = this.local;
    const backend = await loading.backend.catch((error: unknown) => {
      // A failed load is tried again on the next reply.
      if (this.local === loading) this.local = null;
      throw error;
    });
    backend.configure(settings);
    return backend;
  }

  /** Starts loading, so the first reply does not wait for it. */
  prepare(settings: LanguageModelSettings): void {
    this.backend(settings).catch(() => undefined);
  }

  dispose(): void {
    this.disposeLocal();
  }

  private load(loader: LanguageModelLoader, settings: LanguageModelSettings, label: string): Promise<LanguageModelBackend> {
    this.onStatus({ kind: 'loading', label });
    return loader(settings, { onFile: (progress) => this.onStatus({ kind: 'file', progress }), onStep: (fraction, text) => this.onStatus({ kind: 'step', fraction, text }) }).then(
      (backend) => {
        this.onStatus({ kind: 'ready', label, description: backend.description });
        return backend;
      },
      (error: unknown) => {
        this.onStatus({ kind: 'failed', label, message: errorMessage(error) });
        throw error;
      },
    );
  }

  private disposeLocal(): void {
    this.local?.backend.then((backend) => backend.dispose()).catch(() => undefined);
    this.local = null;
  }
}
