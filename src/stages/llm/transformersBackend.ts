/** `llm_backend transformers`, seen from the page: the model in its worker, streamed as a backend. */
import { probeGpu } from '../../models/capabilities';
import type { FileProgress } from '../../models/transformersLoading';
import { transformersLocation } from '../../models/transformersLocation';
import { bundledOrtWasm } from '../../models/transformersRuntime';
import type { Settings } from '../../settings/schema';
import { LlmRequestError } from './chatCompletionsBackend';
import type { Message } from './conversation';
import type { LanguageModelBackend } from './languageModelBackend';
import type { LlmCommand, LlmMessage } from './llmProtocol';
import { DEFAULT_TRANSFORMERS_MODEL, chooseLlmRuntime, type LlmRuntime } from './llmRuntime';
import { transformersGenerateOptions } from './requestOptions';
import { ThinkingFilter } from './thinkingFilter';

type Generation = Exclude<LlmMessage, { kind: 'progress' | 'ready' | 'load-failed' }>;

export class TransformersBackend implements LanguageModelBackend {
  readonly concurrent = false;
  readonly streamed = true;
  private nextId = 1;
  private readonly generations = new Map<number, (message: Generation) => void>();

  private constructor(
    private readonly worker: Worker,
    private settings: Settings,
    readonly runtime: LlmRuntime,
  ) {}

  /** Why this device and precision, for the UI. */
  get reason(): string {
    return this.runtime.reason;
  }

  /** Starts the worker and loads the model; resolves once it can answer. */
  static async load(settings: Settings, onProgress: (progress: FileProgress) => void): Promise<TransformersBackend> {
    const runtime = chooseLlmRuntime(settings, await probeGpu());
    const worker = new Worker(new URL('../../../workers/llm.worker.ts', import.meta.url), { type: 'module', name: 'llm' });
    const backend = new TransformersBackend(worker, settings, runtime);
    await new Promise<void>((resolve, reject) => {
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`The language model worker failed (${event.message || 'script error'}). Reload the page.`));
      };
      worker.onmessage = (event: MessageEvent<LlmMessage>) => {
        const message = event.data;
        if (message.kind === 'progress') onProgress(message.progress);
        else if (message.kind === 'ready') resolve();
        else if (message.kind === 'load-failed') reject(new Error(message.message));
        else backend.generations.get(message.id)?.(message);
      };
      backend.post({ kind: 'load', modelId: settings.model_name ?? DEFAULT_TRANSFORMERS_MODEL, runtime, location: transformersLocation(settings.models_base_url, location.href), ortWasm: bundledOrtWasm() });
    }).catch((error: unknown) => {
      worker.terminate();
      throw error;
    });
    return backend;
  }

  async *stream(messages: readonly Message[], signal: AbortSignal): AsyncGenerator<string> {
    const id = this.nextId++;
    const inbox: Generation[] = [];
    let wake: (() => void) | null = null;
    const deliver = () => {
      wake?.();
      wake = null;
    };
    this.generations.set(id, (message) => {
      inbox.push(message);
      deliver();
    });
    // The worker stops at its next token; the reply does not wait for that.
    const abort = () => {
      this.post({ kind: 'abort', id });
      deliver();
    };
    signal.addEventListener('abort', abort, { once: true });
    const thinking = new ThinkingFilter();
    try {
      this.post({ kind: 'generate', id, messages: messages.map((message) => ({ ...message })), options: transformersGenerateOptions(this.settings) });
      while (!signal.aborted) {
        const message = inbox.shift();
        if (!message) {
          await new Promise<void>((resolve) => (wake = resolve));
          continue;
        }
        if (message.kind === 'error') throw new LlmRequestError(message.message);
        if (message.kind === 'done') {
          const rest = thinking.end();
          if (rest) yield rest;
          return;
        }
        const speakable = thinking.push(message.text);
        if (speakable) yield speakable;
      }
    } finally {
      signal.removeEventListener('abort', abort);
      this.generations.delete(id);
    }
  }

  /** Generation settings changed: they apply from the next reply on. */
  configure(settings: Settings): void {
    this.settings = settings;
  }

  dispose(): void {
    this.worker.terminate();
  }

  private post(command: LlmCommand): void {
    this.worker.postMessage(command);
  }
}
