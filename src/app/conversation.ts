/**
 * The language model stage for the page: the chosen backend (loaded once, with progress), the
 * conversation, and one exchange per user turn, typed or spoken, showing the reply as it streams
 * and the sentence batches handed on to speech. One reply runs at a time: a newer turn stops the
 * older reply first (a reopened turn takes its place; a different turn leaves what was said).
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { FileProgress } from '../models/transformersLoading';
import type { Settings } from '../settings/schema';
import { audioContentPart } from '../stages/llm/audioInput';
import { Conversation, type Message } from '../stages/llm/conversation';
import { apiBackend, type LanguageModelBackend } from '../stages/llm/languageModelBackend';
import { FALLBACK_SENTENCE, ReplyGenerator, SUPERSEDED } from '../stages/llm/replyGenerator';
import { TransformersBackend } from '../stages/llm/transformersBackend';
import type { WebLlmBackend } from '../stages/llm/webLlmBackend';
import { settingsStore } from './settings';
import { endDuck, prepareSpeech, speechStore, startReplySpeech, stopReplySpeech } from './speech';
import { markMoment } from './timeline';
import type { ReplyVoice } from '../pipeline/replyVoice';

export interface Exchange {
  readonly id: number;
  /** The spoken turn it answers; null for a typed message. */
  readonly turn: number | null;
  readonly user: string;
  readonly language: string | null;
  readonly reply: string;
  readonly batches: readonly string[];
  readonly status: 'waiting' | 'streaming' | 'completed' | 'interrupted' | 'failed';
  readonly error: string | null;
  /** From the request to the first streamed text, and from that to the first batch handed on. */
  readonly firstTextMs: number | null;
  readonly firstBatchMs: number | null;
  /** From the request to the first audio played. */
  readonly firstAudioMs: number | null;
  /** An interrupted reply: the words the user heard. */
  readonly heard: string | null;
  /** Why (part of) the reply could not be spoken. */
  readonly speechError: string | null;
  /** How long the first batch took to synthesise. */
  readonly synthesisMs: number | null;
  /** A spoken turn: when its end was detected (page clock), for the latency from there to transcript, first words and first audio. */
  readonly turnEndedAt: number | null;
  readonly latency: { readonly transcriptMs: number | null; readonly firstTextMs: number | null; readonly firstAudioMs: number | null };
}

interface ModelState {
  readonly status: 'off' | 'loading' | 'ready' | 'failed';
  readonly label: string;
  readonly detail: string | null;
  readonly files: Readonly<Record<string, FileProgress>>;
  /** web-llm reports one overall fraction with a line of text. */
  readonly progress: { readonly fraction: number; readonly text: string } | null;
}

interface ConversationState {
  readonly model: ModelState;
  readonly exchanges: readonly Exchange[];
}

const MODEL_OFF: ModelState = { status: 'off', label: '', detail: null, files: {}, progress: null };
export const conversationStore = createStore<ConversationState>()(() => ({ model: MODEL_OFF, exchanges: [] }));

export function useConversation<T>(selector: (state: ConversationState) => T): T {
  return useStore(conversationStore, selector);
}

const BACKEND_LABELS: Record<Settings['llm_backend'], string> = {
  transformers: 'transformers.js',
  'web-llm': 'web-llm',
  'responses-api': 'Responses API',
  'chat-completions': 'Chat Completions API',
};

/** A local model loads once; these settings decide which one. */
function localModelKey(settings: Settings): string {
  return JSON.stringify([settings.llm_backend, settings.model_name, settings.device, settings.llm_device, settings.llm_torch_dtype, settings.models_base_url]);
}

let conversation: Conversation | null = null;
let local: { key: string; backend: Promise<TransformersBackend | WebLlmBackend> } | null = null;
let generator: { backend: LanguageModelBackend; generator: ReplyGenerator } | null = null;
let running: { exchangeId: number; turn: number | null; controller: AbortController; speech: ReplyVoice | null; done: Promise<void> } | null = null;
/** The last reply whose generation ended while its speech may still play. */
let voiced: { exchangeId: number; speech: ReplyVoice } | null = null;
/** Spoken turns whose output may be released (Smart Turn and the reopen grace are past). */
const releasedTurns = new Set<number>();
/** When each spoken turn's end was detected (its last segment), on the page clock. */
const turnEndedAt = new Map<number, number>();

/** The end of a spoken turn's speech was detected (a segment closed). */
export function noteTurnEnded(turn: number): void {
  turnEndedAt.set(turn, performance.now());
  markMoment('turn-ended', turn);
}

function sinceTurnEnd(exchange: Exchange): number | null {
  return exchange.turnEndedAt === null ? null : performance.now() - exchange.turnEndedAt;
}

let nextExchangeId = 1;
/** The API backend of the current settings: kept while they do not change, so its background compaction is not cut short. */
let api: { settings: Settings; backend: LanguageModelBackend } | null = null;

function updateModel(change: Partial<ModelState>): void {
  conversationStore.setState((state) => ({ model: { ...state.model, ...change } }));
}

function updateExchange(id: number, change: Partial<Exchange> | ((exchange: Exchange) => Partial<Exchange>)): void {
  conversationStore.setState((state) => ({
    exchanges: state.exchanges.map((exchange) => (exchange.id === id ? { ...exchange, ...(typeof change === 'function' ? change(exchange) : change) } : exchange)),
  }));
}

function loadLocal(settings: Settings): Promise<TransformersBackend | WebLlmBackend> {
  updateModel({ status: 'loading', label: BACKEND_LABELS[settings.llm_backend], detail: null, files: {}, progress: null });
  const loading =
    settings.llm_backend === 'web-llm'
      ? // web-llm is large: it is fetched only when chosen.
        import('../stages/llm/webLlmBackend').then(({ WebLlmBackend }) => WebLlmBackend.load(settings, (report) => updateModel({ progress: { fraction: report.progress, text: report.text } })))
      : TransformersBackend.load(settings, (progress) => conversationStore.setState((state) => ({ model: { ...state.model, files: { ...state.model.files, [progress.file]: progress } } })));
  return loading.then(
    (backend) => {
      updateModel({ status: 'ready', detail: backend.reason, progress: null });
      return backend;
    },
    (error: unknown) => {
      updateModel({ status: 'failed', detail: error instanceof Error ? error.message : String(error), progress: null });
      throw error;
    },
  );
}

/** The backend the settings ask for; a local model is loaded (or reloaded after a change) first. */
async function currentBackend(settings: Settings): Promise<LanguageModelBackend> {
  if (settings.llm_backend === 'chat-completions' || settings.llm_backend === 'responses-api') {
    local?.backend.then((backend) => backend.dispose()).catch(() => undefined);
    local = null;
    updateModel({ status: 'ready', label: BACKEND_LABELS[settings.llm_backend], detail: settings.responses_api_base_url ?? 'https://api.openai.com/v1', files: {}, progress: null });
    if (api?.settings !== settings) api = { settings, backend: apiBackend(settings.llm_backend, settings) };
    return api.backend;
  }
  const key = localModelKey(settings);
  if (local?.key !== key) {
    local?.backend.then((backend) => backend.dispose()).catch(() => undefined);
    local = { key, backend: loadLocal(settings) };
  }
  const backend = await local.backend.catch((error: unknown) => {
    // A failed load is tried again on the next turn.
    local = null;
    throw error;
  });
  backend.configure(settings);
  return backend;
}

/** Starts loading the language model, so the first reply does not wait for it. */
export function prepareLanguageModel(): void {
  currentBackend(settingsStore.getState().settings).catch(() => undefined);
}

function replyGenerator(backend: LanguageModelBackend, settings: Settings): ReplyGenerator {
  conversation ??= new Conversation(settings, settings.compact_history);
  conversation.configure(settings, settings.compact_history);
  if (generator?.backend !== backend) {
    generator?.generator.dispose();
    // Read at each reply, so a changed batch size applies at once.
    const batching = {
      get stream_batch_sentences() {
        return settingsStore.getState().settings.stream_batch_sentences;
      },
    };
    generator = { backend, generator: new ReplyGenerator(backend, conversation, batching) };
  }
  return generator.generator;
}

async function reply(exchangeId: number, user: Message['content'], language: string | null, signal: AbortSignal, speech: ReplyVoice | null): Promise<void> {
  const settings = settingsStore.getState().settings;
  let backend: LanguageModelBackend;
  try {
    backend = await currentBackend(settings);
  } catch (error) {
    updateExchange(exchangeId, { status: 'failed', error: `The language model could not start: ${error instanceof Error ? error.message : String(error)}`, batches: [FALLBACK_SENTENCE] });
    speech?.say(FALLBACK_SENTENCE);
    speech?.finish();
    return;
  }
  if (signal.aborted) {
    // Stopped while the model was loading; a reopened turn's exchange is already the newer one's.
    if (signal.reason !== SUPERSEDED) updateExchange(exchangeId, { status: 'interrupted' });
    void speech?.stop();
    return;
  }
  const requested = performance.now();
  let firstTextAt: number | null = null;
  let firstBatchAt: number | null = null;
  const outcome = await replyGenerator(backend, settings).respond(user, language, signal, {
    onDelta: (text) => {
      if (firstTextAt === null) markMoment('first-text', exchangeId);
      firstTextAt ??= performance.now();
      updateExchange(exchangeId, (exchange) => ({
        status: 'streaming',
        reply: exchange.reply + text,
        firstTextMs: exchange.firstTextMs ?? performance.now() - requested,
        latency: { ...exchange.latency, firstTextMs: exchange.latency.firstTextMs ?? sinceTurnEnd(exchange) },
      }));
    },
    onBatch: (chunk) => {
      const now = performance.now();
      if (firstBatchAt === null) markMoment('first-batch', exchangeId);
      firstBatchAt ??= now;
      speech?.say(chunk);
      updateExchange(exchangeId, (exchange) => ({ batches: [...exchange.batches, chunk], firstBatchMs: exchange.firstBatchMs ?? (firstTextAt === null ? null : now - firstTextAt) }));
    },
    ...(speech ? { heard: () => speech.heardText() } : {}),
  });
  switch (outcome.status) {
    case 'completed':
      updateExchange(exchangeId, { status: 'completed' });
      break;
    case 'interrupted':
      updateExchange(exchangeId, { status: 'interrupted', heard: outcome.text });
      break;
    case 'superseded':
      void speech?.stop();
      return;
    case 'failed':
      updateExchange(exchangeId, { status: 'failed', error: `The reply failed: ${outcome.message}` });
      break;
  }
  if (speech && outcome.status !== 'interrupted') {
    speech.finish();
    voiced = { exchangeId, speech };
  }
}

/** Opens the speakers and the voice; call it from a click. */
function prepareOutput(): void {
  prepareSpeech();
}

/** A spoken turn is final: its reply may be heard. */
export function releaseTurn(turn: number): void {
  markMoment('released', turn);
  releasedTurns.add(turn);
  if (running?.turn === turn) running.speech?.release();
}

/**
 * The user speaks over the assistant (speech confirmed): the voice stops at once and the reply
 * is stopped, kept in the conversation as the words heard.
 */
export async function bargeIn(): Promise<void> {
  const { interrupt_response } = settingsStore.getState().settings;
  if (!interrupt_response) return;
  endDuck();
  const audible = speechStore.getState().speaking;
  if (audible) markMoment('barge-in');
  if (running) {
    const { speech, controller, exchangeId } = running;
    if (speech) updateExchange(exchangeId, { heard: await stopReplySpeech(speech) });
    controller.abort('barge-in');
  } else {
    await cutVoiced();
  }
  if (audible) markMoment('silent');
}

/** A finished reply still playing is stopped, and kept as the words heard. */
async function cutVoiced(): Promise<void> {
  if (!voiced?.speech.audible) return;
  const { speech, exchangeId } = voiced;
  voiced = null;
  const heard = await stopReplySpeech(speech);
  conversation?.replaceLastAssistant(heard);
  updateExchange(exchangeId, { status: 'interrupted', heard });
}

async function startExchange(turn: number | null, content: Message['content'], user: string, language: string | null): Promise<void> {
  const previous = running;
  const endedAt = turn === null ? null : (turnEndedAt.get(turn) ?? null);
  const fresh = {
    user,
    language,
    reply: '',
    batches: [],
    status: 'waiting',
    error: null,
    firstTextMs: null,
    firstBatchMs: null,
    firstAudioMs: null,
    heard: null,
    speechError: null,
    synthesisMs: null,
    turnEndedAt: endedAt,
    latency: { transcriptMs: endedAt === null ? null : performance.now() - endedAt, firstTextMs: null, firstAudioMs: null },
  } as const;
  // A reopened turn: its longer transcript takes the place of the earlier one, in the same exchange.
  const reopened = turn === null ? undefined : conversationStore.getState().exchanges.find((exchange) => exchange.turn === turn);
  let exchangeId: number;
  if (reopened) {
    exchangeId = reopened.id;
    if (previous?.exchangeId === exchangeId) previous.controller.abort(SUPERSEDED);
    else previous?.controller.abort();
    updateExchange(exchangeId, fresh);
  } else {
    previous?.controller.abort();
    exchangeId = nextExchangeId++;
    conversationStore.setState((state) => ({ exchanges: [...state.exchanges, { id: exchangeId, turn, ...fresh }] }));
  }
  const controller = new AbortController();
  const began = performance.now();
  const speech = startReplySpeech({
    onFirstSynthesized: (synthesisMs) => {
      markMoment('first-synthesized', exchangeId);
      updateExchange(exchangeId, { synthesisMs });
    },
    onPlaying: () => {
      markMoment('first-audio', exchangeId);
      updateExchange(exchangeId, (exchange) => ({ firstAudioMs: performance.now() - began, latency: { ...exchange.latency, firstAudioMs: sinceTurnEnd(exchange) } }));
    },
    onError: (message) => updateExchange(exchangeId, { speechError: `Part of the reply could not be spoken: ${message}` }),
  });
  // Typed messages are final at once; a spoken turn waits for its release.
  if (turn === null || releasedTurns.has(turn)) speech?.release();
  const done = (async () => {
    // A reply still playing is cut where it is; the older reply settles first, so the conversation keeps its order.
    if (voiced?.exchangeId !== exchangeId) await cutVoiced();
    await previous?.done;
    await reply(exchangeId, content, language, controller.signal, speech);
  })();
  running = { exchangeId, turn, controller, speech, done };
  await done;
  if (running.done === done) running = null;
}

/** A typed message. */
export function sendMessage(text: string): Promise<void> {
  prepareOutput();
  const user = text.trim();
  return user === '' ? Promise.resolve() : startExchange(null, user, user, null);
}

/** A spoken turn's final transcript (a reopened turn sends its longer transcript under the same turn). */
export function replyToTurn(turn: number, text: string, language: string | null): Promise<void> {
  const user = text.trim();
  return user === '' ? Promise.resolve() : startExchange(turn, user, user, language || null);
}

/** `stt none`: a spoken turn's audio itself goes to the model. */
export function replyToAudioTurn(turn: number, audio: Float32Array): Promise<void> {
  const { responses_api_audio_content_type } = settingsStore.getState().settings;
  return startExchange(turn, [audioContentPart(audio, responses_api_audio_content_type)], `(${(audio.length / 16_000).toFixed(1)} s of speech, sent as audio)`, null);
}

/** A turn was reopened: its reply (if any) is dropped now; the longer transcript follows. */
export function supersedeTurn(turn: number): void {
  if (running?.turn === turn) {
    running.controller.abort(SUPERSEDED);
    return;
  }
  // Already answered: the answer to the shorter transcript leaves the conversation too.
  const last = conversationStore.getState().exchanges.at(-1);
  if (last?.turn === turn && last.status !== 'failed') conversation?.retractLastUser();
}

/** Forgets the conversation (the model stays loaded). */
export function newConversation(): void {
  running?.controller.abort();
  if (running?.speech) void stopReplySpeech(running.speech);
  if (voiced) void stopReplySpeech(voiced.speech);
  voiced = null;
  generator?.generator.dispose();
  // A fresh conversation: a reply still settling after the abort writes to the old one.
  conversation = null;
  generator = null;
  conversationStore.setState({ exchanges: [] });
}
