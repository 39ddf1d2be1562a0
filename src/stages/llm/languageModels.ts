/**
 * The language model the settings ask for, kept between replies: a local model (transformers.js
 * or web-llm) is loaded once and reloaded only when a setting that chooses it changes; an API
 * backend is kept while its settings stay the same, so a background compaction is not cut short.
 * Loading is reported (progress, ready, failed) for the page. A load that reports nothing for
 * `LOAD_SILENCE_MS` fails. A local model that stops after loading (its worker crashed or stopped
 * answering, its GPU was lost) is loaded again by itself once (on WASM after a GPU loss), then
 * only when asked (`restart`).
 */
import { DownloadPace } from '../../models/downloadPace';
import type { LoadProgress } from '../../models/loadProgress';
import type { Settings } from '../../settings/schema';
import { RestartPolicy, stageStopped } from '../../worker/restartPolicy';
import { StageError, errorMessage } from '../../worker/stageError';
import { apiBackend } from './apiBackend';
import type { LanguageModelBackend, LanguageModelLoader, LanguageModelSettings } from './languageModelBackend';
import { TransformersBackend } from './transformersBackend';

export type LanguageModelStatus =
  | { readonly kind: 'loading'; readonly label: string }
  | { readonly kind: 'file'; readonly progress: LoadProgress }
  | { readonly kind: 'step'; readonly fraction: number; readonly text: string }
  | { readonly kind: 'ready'; readonly label: string; readonly description: string }
  | { readonly kind: 'failed'; readonly label: string; readonly message: string }
  /** A loaded model stopped; `restarting`: it is being loaded again by itself, else `restart` brings it back. */
  | { readonly kind: 'stopped'; readonly label: string; readonly message: string; readonly restarting: boolean };

/** A load that reports nothing (no file progress, no step) for this long has stalled. */
export const LOAD_SILENCE_MS = 120_000;

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

interface LocalModel {
  readonly key: string;
  readonly settings: LanguageModelSettings;
  readonly name: LocalBackendName;
  readonly backend: Promise<LanguageModelBackend>;
}

export class LanguageModels {
  private local: LocalModel | null = null;
  private api: { key: string; backend: LanguageModelBackend } | null = null;

  constructor(
    private readonly onStatus: (status: LanguageModelStatus) => void,
    private readonly loaders: Readonly<Record<LocalBackendName, LanguageModelLoader>> = LOCAL_LOADERS,
    private readonly loadSilenceMs = LOAD_SILENCE_MS,
    private readonly restarts = new RestartPolicy(),
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
    let loading = this.local;
    if (loading?.key !== key) {
      this.disposeLocal();
      loading = this.startLocal(key, settings, settings.llm_backend);
    }
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

  /** Loads the local model again after it stopped (the page's button). */
  restart(settings: LanguageModelSettings): void {
    this.prepare(settings);
  }

  dispose(): void {
    this.disposeLocal();
  }

  private startLocal(key: string, settings: LanguageModelSettings, name: LocalBackendName): LocalModel {
    let entry: LocalModel | null = null;
    // A backend stops only after it loaded, so the entry is there by then.
    const backend = this.load(this.loaders[name], settings, BACKEND_LABELS[name], (error) => entry && this.onStopped(entry, error));
    entry = { key, settings, name, backend };
    this.local = entry;
    return entry;
  }

  /** A loaded local model cannot answer any more: it is let go, and loaded again by itself once. */
  private onStopped(entry: LocalModel, error: StageError): void {
    if (this.local !== entry) return;
    this.disposeLocal();
    const label = BACKEND_LABELS[entry.name];
    const { restarting, message } = stageStopped(error, 'The language model', this.restarts, ', which is slower');
    this.onStatus({ kind: 'stopped', label, message, restarting });
    if (restarting) this.startLocal(entry.key, entry.settings, entry.name);
  }

  private load(loader: LanguageModelLoader, settings: LanguageModelSettings, label: string, onStopped: (error: StageError) => void): Promise<LanguageModelBackend> {
    this.onStatus({ kind: 'loading', label });
    let timer: ReturnType<typeof setTimeout> | undefined;
    let stalled: (error: Error) => void = () => undefined;
    const silence = new Promise<never>((_resolve, reject) => (stalled = reject));
    // Only headway restarts the count: a download that trickles is given up on too.
    const pace = new DownloadPace();
    const heard = () => {
      clearTimeout(timer);
      timer = setTimeout(() => stalled(new StageError('unresponsive', pace.stalled(label, `${this.loadSilenceMs / 1000} s`), 'load')), this.loadSilenceMs);
    };
    heard();
    const loading = loader(settings, {
      onFile: (progress) => {
        if (pace.file(progress)) heard();
        this.onStatus({ kind: 'file', progress });
      },
      onStep: (fraction, text) => {
        if (pace.step(fraction)) heard();
        this.onStatus({ kind: 'step', fraction, text });
      },
      onStopped,
    });
    const raced = Promise.race([loading, silence]).finally(() => clearTimeout(timer));
    // A load that comes back after it was given up on is let go.
    raced.catch(() => loading.then((late) => late.dispose(), () => undefined));
    return raced.then(
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
