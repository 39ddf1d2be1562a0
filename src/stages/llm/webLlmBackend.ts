/**
 * `llm_backend web-llm`: web-llm's engine in a worker, driven through WebWorkerMLCEngine. An
 * aborted reply calls interruptGenerate and then reads the stream to its end, as web-llm needs
 * before the engine takes the next request; the next request waits for that. An engine that
 * does not stop within `STOP_BOUND_MS`, or whose worker crashes, is reported stopped (and its
 * worker ended), so the page loads a fresh one rather than wait on it.
 */
import { WebWorkerMLCEngine, deleteModelAllInfoInCache, hasModelInCache, prebuiltAppConfig, type ChatCompletionMessageParam } from '@mlc-ai/web-llm';
import { probeGpu, type GpuCapabilities } from '../../models/capabilities';
import { StageError } from '../../worker/stageError';
import { LanguageModelLoadError, LlmRequestError } from './errors';
import type { LanguageModelBackend, LanguageModelProgress, LanguageModelSettings } from './languageModelBackend';
import { messageText, type Message } from './message';
import { webLlmOptions } from './requestOptions';
import { ThinkingFilter } from './thinkingFilter';
import { ToolCallReader, promptedMessages } from './localToolFormat';
import type { ReplyPart, ToolSpec } from './tools';
import { chooseWebLlmModel } from './webLlmModel';

/** How long an interrupted generation may take to stop. */
export const STOP_BOUND_MS = 5_000;

export interface WebLlmLoadOptions {
  /** The engine's worker; a test passes one that speaks web-llm's worker protocol. */
  readonly worker?: Worker;
  readonly gpu?: GpuCapabilities;
  /** How long an interrupted generation may take to stop (a test shortens it). */
  readonly stopBoundMs?: number;
  /** web-llm's cache of model files (a test passes its own). */
  readonly cache?: WebLlmCache;
}

export interface WebLlmCache {
  hasModelInCache(modelId: string): Promise<boolean>;
  deleteModelAllInfoInCache(modelId: string): Promise<void>;
}

/** Loads the model; a load that fails with the model in web-llm's cache is tried once more with its files fetched again. */
async function reloadWithCacheRetry(engine: WebWorkerMLCEngine, modelId: string, cache: WebLlmCache): Promise<void> {
  try {
    await engine.reload(modelId);
  } catch (error) {
    if (!(await cache.hasModelInCache(modelId).catch(() => false))) throw error;
    await cache.deleteModelAllInfoInCache(modelId);
    await engine.reload(modelId);
  }
}

export class WebLlmBackend implements LanguageModelBackend {
  readonly concurrent = false;
  readonly streamed = true;
  /** Settles once the last interrupted reply's stream has been read to its end. */
  private draining: Promise<void> = Promise.resolve();
  private stopped = false;

  private constructor(
    private readonly engine: WebWorkerMLCEngine,
    private readonly worker: Worker,
    private settings: LanguageModelSettings,
    readonly modelId: string,
    readonly description: string,
    private readonly onStopped: (error: StageError) => void,
    private readonly stopBoundMs: number,
  ) {
    worker.addEventListener('error', (event) => {
      event.preventDefault();
      this.stop(new StageError('crashed', `The web-llm worker stopped (${event.message || 'a script error'}).`));
    });
  }

  static async load(settings: LanguageModelSettings, progress: LanguageModelProgress, options: WebLlmLoadOptions = {}): Promise<WebLlmBackend> {
    const { modelId, reason } = chooseWebLlmModel(settings.model_name, options.gpu ?? (await probeGpu()), prebuiltAppConfig.model_list);
    const worker = options.worker ?? new Worker(new URL('../../../workers/webLlm.worker.ts', import.meta.url), { type: 'module', name: 'web-llm' });
    const engine = new WebWorkerMLCEngine(worker, { initProgressCallback: (report) => progress.onStep(report.progress, report.text) });
    try {
      await reloadWithCacheRetry(engine, modelId, options.cache ?? { hasModelInCache, deleteModelAllInfoInCache });
    } catch (error) {
      worker.terminate();
      const why = error instanceof Error ? error.message : String(error);
      throw new LanguageModelLoadError(`web-llm could not load ${modelId} (${why}). Check your connection and free GPU memory, or choose a smaller model.`, { cause: error });
    }
    return new WebLlmBackend(engine, worker, settings, modelId, reason, progress.onStopped ?? (() => undefined), options.stopBoundMs ?? STOP_BOUND_MS);
  }

  async *stream(messages: readonly Message[], signal: AbortSignal, tools?: readonly ToolSpec[]): AsyncGenerator<ReplyPart> {
    await this.draining;
    // Tools are told in the system prompt and read back from the words (web-llm's own tools work
    // only with its Hermes models, which are trained on this same form).
    const offered = tools ?? [];
    const chunks = await this.engine.chat.completions.create({
      ...webLlmOptions(this.settings),
      messages: (offered.length > 0 || messages.some((message) => message.tool_calls || message.role === 'tool')
        ? promptedMessages(messages, offered)
        : messages.map((message) => ({ role: message.role, content: messageText(message) }))) as ChatCompletionMessageParam[],
      stream: true,
    });
    const iterator = chunks[Symbol.asyncIterator]();
    const thinking = new ThinkingFilter();
    const calls = offered.length > 0 ? new ToolCallReader() : null;
    let finished = false;
    try {
      while (!signal.aborted) {
        const next = await iterator.next();
        if (next.done) {
          finished = true;
          break;
        }
        const content = next.value.choices[0]?.delta.content;
        const speakable = content ? thinking.push(content) : '';
        if (speakable && !signal.aborted) yield* calls ? calls.push(speakable) : [speakable];
      }
      const rest = thinking.end();
      if (rest && !signal.aborted) yield* calls ? calls.push(rest) : [rest];
      if (calls && !signal.aborted) yield* calls.end();
    } catch (error) {
      finished = true;
      throw new LlmRequestError(`web-llm failed while generating (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
    } finally {
      if (!finished) {
        this.engine.interruptGenerate();
        this.draining = this.drainWithin(iterator, this.stopBoundMs);
      }
    }
  }

  /** Generation settings changed: they apply from the next reply on. */
  configure(settings: LanguageModelSettings): void {
    this.settings = settings;
  }

  dispose(): void {
    this.stopped = true;
    this.worker.terminate();
  }

  /** Reads the interrupted stream to its end; an engine that does not stop in time is ended. */
  private drainWithin(iterator: AsyncIterator<unknown>, ms: number): Promise<void> {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const late = new Promise<void>((resolve) => {
      timer = setTimeout(() => {
        this.stop(new StageError('unresponsive', `web-llm did not stop generating within ${ms / 1000} s when asked, so it was stopped.`));
        resolve();
      }, ms);
    });
    return Promise.race([drain(iterator).finally(() => clearTimeout(timer)), late]);
  }

  private stop(error: StageError): void {
    if (this.stopped) return;
    this.dispose();
    this.onStopped(error);
  }
}

/** Reads a stream to its end, ignoring what is left and any error. */
async function drain(iterator: AsyncIterator<unknown>): Promise<void> {
  try {
    for (let next = await iterator.next(); !next.done; next = await iterator.next());
  } catch {
    // The interrupted reply's end is of no interest.
  }
}
