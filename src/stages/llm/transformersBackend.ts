/** `llm_backend transformers`, seen from the page: the model in its worker, streamed as a backend. */
import { probeGpu } from '../../models/capabilities';
import { chooseRuntime, type Runtime } from '../../models/runtimePolicy';
import { transformersLocation } from '../../models/transformersLocation';
import { bundledOrtWasm } from '../../models/ortWasmFiles';
import { errorMessage } from '../../worker/stageError';
import { WorkerClient } from '../../worker/workerClient';
import { LlmRequestError } from './errors';
import type { LanguageModelBackend, LanguageModelLoader, LanguageModelSettings } from './languageModelBackend';
import type { LlmProtocol } from './llmProtocol';
import type { Message } from './message';
import { transformersGenerateOptions } from './requestOptions';
import { ThinkingFilter } from './thinkingFilter';
import { ToolCallReader } from './localToolFormat';
import type { ReplyPart, ToolSpec } from './tools';
import { DEFAULT_TRANSFORMERS_MODEL } from '../../settings/modelIds';

export { DEFAULT_TRANSFORMERS_MODEL };

export class TransformersBackend implements LanguageModelBackend {
  readonly concurrent = false;
  readonly streamed = true;

  private constructor(
    private readonly worker: WorkerClient<LlmProtocol>,
    private settings: LanguageModelSettings,
    readonly runtime: Runtime,
  ) {}

  get description(): string {
    return this.runtime.reason;
  }

  /** Starts the worker and loads the model; resolves once it can answer. */
  static readonly load: LanguageModelLoader = async (settings, progress) => {
    const runtime = chooseRuntime('transformers-llm', settings, await probeGpu());
    const worker = new WorkerClient<LlmProtocol>(new Worker(new URL('../../../workers/llm.worker.ts', import.meta.url), { type: 'module', name: 'llm' }), 'language model', {
      onProgress: progress.onFile,
      ...(progress.onStopped ? { onFailed: progress.onStopped } : {}),
    });
    await worker.load({ modelId: settings.model_name ?? DEFAULT_TRANSFORMERS_MODEL, runtime, location: transformersLocation(settings.models_base_url, location.href), ortWasm: bundledOrtWasm() });
    return new TransformersBackend(worker, settings, runtime);
  };

  async *stream(messages: readonly Message[], signal: AbortSignal, tools?: readonly ToolSpec[]): AsyncGenerator<ReplyPart> {
    // Pieces arrive as messages; the generator hands them on as they come.
    const inbox: string[] = [];
    let wake: (() => void) | null = null;
    let finished = false;
    let failure: unknown = null;
    const deliver = () => {
      wake?.();
      wake = null;
    };
    const request = this.worker.request(
      { messages: messages.map((message) => ({ ...message })), options: transformersGenerateOptions(this.settings), ...(tools?.length ? { tools: [...tools] } : {}) },
      {
        signal,
        onPartial: (text) => {
          inbox.push(text);
          deliver();
        },
      },
    );
    request.then(
      () => (finished = true),
      (error: unknown) => {
        finished = true;
        failure = error;
      },
    ).finally(deliver);
    const thinking = new ThinkingFilter();
    // With tools offered, the model's calls are read from its words.
    const calls = tools?.length ? new ToolCallReader() : null;
    while (!signal.aborted) {
      const text = inbox.shift();
      if (text !== undefined) {
        const speakable = thinking.push(text);
        if (speakable) yield* calls ? calls.push(speakable) : [speakable];
        continue;
      }
      if (finished) break;
      await new Promise<void>((resolve) => (wake = resolve));
    }
    if (signal.aborted) return;
    if (failure !== null) throw new LlmRequestError(errorMessage(failure), { cause: failure });
    const rest = thinking.end();
    if (rest) yield* calls ? calls.push(rest) : [rest];
    if (calls) yield* calls.end();
  }

  configure(settings: LanguageModelSettings): void {
    this.settings = settings;
  }

  dispose(): void {
    this.worker.terminate();
  }
}
