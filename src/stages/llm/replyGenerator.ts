/**
 * One reply to one user turn, as the reference's LLM stage makes it: the user message goes into
 * the conversation, the backend streams, the text is cut into sentence batches for speech, and
 * the conversation ends up holding what the user heard. Also runs the background compaction
 * after a reply, with the same backend.
 *
 * Aborting the signal stops the reply: with `SUPERSEDED` as the reason (the turn was reopened,
 * a longer transcript follows) the turn is taken back; with any other reason (barge-in) the
 * reply is stored as far as it was heard.
 */
import type { Settings } from '../../settings/schema';
import type { CompactionJob, Conversation } from './conversation';
import type { Message } from './message';
import type { LanguageModelBackend } from './languageModelBackend';
import { SentenceBatcher } from './sentenceBatcher';
import type { ToolCall, ToolSpec } from './tools';

/** What the reference says when the model does not answer in time; here, on any failure. */
export const FALLBACK_SENTENCE = "Wow I'm a bit slow today, could you repeat that?";
/**
 * The reference's request timeout, applied here to every wait for text: the first words, and
 * each later piece (a stream that stalls mid-reply ends too).
 */
export const REPLY_SILENCE_MS = 20_000;
/** Abort reason: the turn was reopened and its longer transcript gets the reply instead. */
export const SUPERSEDED = 'superseded';
/** Rounds of tool calls one reply may make: a model that keeps calling tools is stopped there. */
export const MAX_TOOL_ROUNDS = 5;

/** The tools a reply may use, and how a call is run (asked, bounded, its failure words for the model). */
export interface ToolRunner {
  readonly specs: readonly ToolSpec[];
  /** Resolves with the result for the model: the tool's answer, or what went wrong (a denial, an error, a timeout). */
  run(call: ToolCall, signal: AbortSignal): Promise<string>;
  /** The model's server refused a request because it offered tools (`why`: its words); the reply was asked again without them. */
  refused?(why: string): void;
}

export interface ReplyCallbacks {
  /** Each piece of reply text as it streams in. */
  readonly onDelta?: (text: string) => void;
  /** Each sentence batch handed on to speech (the fallback sentence too). */
  readonly onBatch?: (chunk: string) => void;
  /** What the user actually heard when the reply is interrupted; without it, the batches handed on. */
  readonly heard?: () => string;
  /** Tools the model is offered; without them it is offered none. */
  readonly tools?: ToolRunner;
}

export type ReplyOutcome =
  | { readonly status: 'completed'; readonly text: string }
  | { readonly status: 'interrupted'; readonly text: string }
  | { readonly status: 'superseded' }
  | { readonly status: 'failed'; readonly message: string };

export type CompactionResult = 'applied' | 'stale' | 'failed';

class ReplyTimeout extends Error {
  override readonly name = 'ReplyTimeout';

  constructor(readonly afterText: boolean) {
    super('The reply timed out.');
  }
}

export class ReplyGenerator {
  private compaction: { controller: AbortController; done: Promise<CompactionResult> } | null = null;

  constructor(
    private readonly backend: LanguageModelBackend,
    private readonly conversation: Conversation,
    private readonly settings: Pick<Settings, 'stream_batch_sentences'>,
    private readonly silenceMs = REPLY_SILENCE_MS,
    /** Told of each finished background compaction. */
    private readonly onCompaction?: (result: CompactionResult) => void,
  ) {}

  /** The compaction running in the background, if any (tests wait on it). */
  get pendingCompaction(): Promise<CompactionResult> | null {
    return this.compaction?.done ?? null;
  }

  /** `turn`: the spoken turn the user message is (a later revision of it replaces the message); null for a typed one. */
  async respond(user: Message['content'], language: string | null, signal: AbortSignal, callbacks: ReplyCallbacks = {}, turn: number | null = null): Promise<ReplyOutcome> {
    // One local engine cannot summarise and answer at once: the reply goes first, the summary is retried later.
    if (!this.backend.concurrent) this.compaction?.controller.abort();
    this.conversation.addUser(user, turn);
    let messages = this.conversation.request(language);
    const batcher = new SentenceBatcher(this.backend.streamed ? this.settings.stream_batch_sentences : Number.MAX_SAFE_INTEGER);
    const handedOn: string[] = [];
    const handOn = (chunks: readonly string[]) => {
      for (const chunk of chunks) {
        handedOn.push(chunk);
        callbacks.onBatch?.(chunk);
      }
    };

    const request = new AbortController();
    const stop = () => request.abort(signal.reason);
    signal.addEventListener('abort', stop, { once: true });
    let sawText = false;
    /** The batches already in the conversation, said before a tool call. */
    let stored = 0;
    const unstored = () => handedOn.slice(stored).join(' ');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const waitForText = () => {
      clearTimeout(timer);
      timer = setTimeout(() => request.abort(new ReplyTimeout(sawText)), this.silenceMs);
    };
    try {
      if (signal.aborted) stop();
      waitForText();
      let offered = callbacks.tools?.specs.length ? callbacks.tools.specs : undefined;
      for (let round = 0; ; round++) {
        const calls: ToolCall[] = [];
        let answered = false;
        try {
          for await (const part of untilAborted(this.backend.stream(messages, request.signal, offered), request.signal)) {
            answered = true;
            if (typeof part !== 'string') {
              calls.push(part.toolCall);
              continue;
            }
            sawText = true;
            waitForText();
            callbacks.onDelta?.(part);
            handOn(batcher.push(part));
          }
        } catch (error) {
          // A server that takes no tools (llama.cpp without --jinja, vLLM without a tool parser, a model
          // without tools in Ollama) refuses the request: asked again without them, and the user is told.
          if (answered || offered === undefined || request.signal.aborted || !refusesTools(error)) throw error;
          offered = undefined;
          // The server's own words say why (our summary of an HTTP 400 would not).
          callbacks.tools?.refused?.(describe(error instanceof Error && error.cause instanceof Error ? error.cause : error));
          round--;
          continue;
        }
        // A backend may end its stream quietly when aborted: the reason decides what happened.
        request.signal.throwIfAborted();
        if (calls.length === 0 || !callbacks.tools || offered === undefined) break;
        if (round >= MAX_TOOL_ROUNDS) throw new Error(`the model kept calling tools (${MAX_TOOL_ROUNDS} rounds), so the reply was ended there`);
        // The text before a call is spoken first, as the reference does.
        handOn(batcher.end());
        // A tool has its own bound; the wait for text starts again after it.
        clearTimeout(timer);
        const results: string[] = [];
        for (const call of calls) results.push(await abortable(callbacks.tools.run(call, request.signal), request.signal));
        request.signal.throwIfAborted();
        this.conversation.addToolRound(unstored(), calls, results);
        // What the model says after the call is a new paragraph of the reply shown (speech needs no mark).
        if (sawText) callbacks.onDelta?.('\n\n');
        stored = handedOn.length;
        messages = this.conversation.request(language);
        waitForText();
      }
      handOn(batcher.end());
      const text = handedOn.join(' ');
      this.conversation.addAssistant(unstored());
      this.compactInBackground();
      return { status: 'completed', text };
    } catch (error) {
      const reason: unknown = request.signal.reason;
      if (!request.signal.aborted || reason instanceof ReplyTimeout) {
        const message = reason instanceof ReplyTimeout ? this.timeoutMessage(reason) : describe(error);
        // What was shown is spoken too, then the fallback sentence.
        if (reason instanceof ReplyTimeout) handOn(batcher.end());
        // What was said stays in the conversation; a turn that got no answer at all is taken back, so the user can simply repeat it.
        if (handedOn.length > 0) this.conversation.addAssistant(unstored());
        else this.conversation.retractLastUser();
        callbacks.onBatch?.(FALLBACK_SENTENCE);
        return { status: 'failed', message };
      }
    } finally {
      clearTimeout(timer);
      signal.removeEventListener('abort', stop);
    }
    if (signal.reason === SUPERSEDED) {
      this.conversation.retractLastUser();
      return { status: 'superseded' };
    }
    const text = callbacks.heard ? callbacks.heard() : handedOn.join(' ');
    // What was said before a tool call is in the conversation already.
    const before = handedOn.slice(0, stored).join(' ');
    this.conversation.addAssistant(stored > 0 && text.startsWith(before) ? text.slice(before.length).trim() : stored > 0 ? '' : text);
    this.compactInBackground();
    return { status: 'interrupted', text };
  }

  private timeoutMessage(timeout: ReplyTimeout): string {
    const seconds = this.silenceMs / 1000;
    return timeout.afterText
      ? `the language model stopped sending words for ${seconds} s, so the reply was ended there (timed out). Check that the model or server is working, then speak again.`
      : `the language model gave no first word within ${seconds} s (timed out). Check that the model or server is working, then speak again.`;
  }

  /** Stops a running compaction (the conversation was reset, or the backend changes). */
  dispose(): void {
    this.compaction?.controller.abort();
  }

  private compactInBackground(): void {
    if (this.compaction) return;
    const job = this.conversation.trim();
    if (!job) return;
    const controller = new AbortController();
    const done = this.compact(job, controller.signal).then((result) => {
      this.compaction = null;
      this.onCompaction?.(result);
      return result;
    });
    this.compaction = { controller, done };
  }

  private async compact(job: CompactionJob, signal: AbortSignal): Promise<CompactionResult> {
    let answer = '';
    try {
      for await (const part of this.backend.stream(job.request, signal)) if (typeof part === 'string') answer += part;
      if (signal.aborted) throw new Error('the compaction gave way to a reply');
      return this.conversation.applyCompaction(job, answer);
    } catch (error) {
      return this.conversation.applyCompaction(job, error instanceof Error ? error : new Error(String(error)));
    }
  }
}

/**
 * The stream's pieces until the signal aborts, at once then even when the backend is stuck
 * waiting (an engine that ignores abort, a body that never ends): the reply never waits on it.
 * The backend's own stream is told to stop and left to end by itself.
 */
async function* untilAborted<T>(stream: AsyncIterable<T>, signal: AbortSignal): AsyncGenerator<T> {
  const iterator = stream[Symbol.asyncIterator]();
  let aborted: () => void = () => undefined;
  const abort = new Promise<IteratorResult<T>>((resolve) => (aborted = () => resolve({ done: true, value: undefined })));
  signal.addEventListener('abort', aborted, { once: true });
  if (signal.aborted) aborted();
  let finished = false;
  try {
    while (!signal.aborted) {
      const next = await Promise.race([iterator.next(), abort]);
      if (next.done) {
        finished = !signal.aborted;
        return;
      }
      yield next.value;
    }
  } finally {
    signal.removeEventListener('abort', aborted);
    // Not awaited: a stuck backend's `return` may never settle.
    if (!finished) void Promise.resolve(iterator.return?.()).catch(() => undefined);
  }
}

/** A promise that rejects as soon as the signal aborts, whether or not the work behind it stops. */
function abortable<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const abort = () => reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
    if (signal.aborted) abort();
    signal.addEventListener('abort', abort, { once: true });
    work.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort));
  });
}

/** An error answer (not a key, a limit or the network) about the request's tools. */
function refusesTools(error: unknown): boolean {
  const cause: unknown = error instanceof Error && error.cause !== undefined ? error.cause : error;
  const status = (cause as { status?: unknown } | null)?.status;
  if (typeof status !== 'number' || status < 400 || [401, 403, 404, 408, 429].includes(status)) return false;
  const message = `${cause instanceof Error ? cause.message : ''} ${error instanceof Error ? error.message : String(error)}`;
  return /\btools?\b|tool[_ ]choice|function[_ ]call/i.test(message);
}

function describe(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^./, (first) => first.toLowerCase());
}
