/**
 * One exchange of the conversation: what the user said or typed, the reply as it streams, what was
 * heard of it, its latency. Both pipelines keep their exchanges in these words.
 */

/**
 * A Realtime server's own latency figures for a turn (the reference's
 * `speech_to_speech.turn_latency`; version 2 adds the VAD decision, the Smart Turn wait and the hold).
 */
export interface TurnLatency {
  readonly version: number;
  /** Seconds, each null where the server did not measure it. */
  readonly sttS: number | null;
  readonly llmS: number | null;
  /** Time to first audio of the voice. */
  readonly ttsFirstAudioS: number | null;
  readonly endToEndS: number | null;
  readonly vadDecisionS: number | null;
  readonly smartTurnWaitS: number | null;
  readonly holdS: number | null;
}

/** A tool the model called during a reply, as the conversation shows it. */
export interface ExchangeToolCall {
  readonly id: string;
  readonly name: string;
  readonly arguments: string;
  readonly status: 'running' | 'done';
  /** What went back to the model (the tool's answer, or why it did not run). */
  readonly result: string | null;
}

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
  /** A Realtime server's own latency figures for this turn, where it sent them. */
  readonly serverLatency?: TurnLatency;
  /** The tools the model called for this reply, in order. */
  readonly toolCalls?: readonly ExchangeToolCall[];
}

/** An exchange before any reply: what every new one starts as (`transcriptMs`: the transcript's latency, where known). */
export function freshExchange(user: string, language: string | null, turnEndedAt: number | null, transcriptMs: number | null): Omit<Exchange, 'id' | 'turn'> {
  return {
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
    turnEndedAt,
    latency: { transcriptMs, firstTextMs: null, firstAudioMs: null },
  };
}

export type ExchangeChange = Partial<Exchange> | ((exchange: Exchange) => Partial<Exchange>);

/** A tool call of the reply begins: shown running. */
export function toolCallStarted(call: { readonly id: string; readonly name: string; readonly arguments: string }): ExchangeChange {
  return (exchange) => ({ toolCalls: [...(exchange.toolCalls ?? []), { id: call.id, name: call.name, arguments: call.arguments, status: 'running', result: null }] });
}

/** A tool call of the reply ended: shown done, with what went back to the model. */
export function toolCallDone(callId: string, result: string): ExchangeChange {
  return (exchange) => ({ toolCalls: (exchange.toolCalls ?? []).map((shown) => (shown.id === callId ? { ...shown, status: 'done', result } : shown)) });
}


/** Where the exchanges live: one list for both pipelines (the page's conversation store, or a list in a test). */
export interface ExchangeLog {
  list(): readonly Exchange[];
  /** A new id, past every one this list has given or holds: a late update of a forgotten exchange cannot land on a new one. */
  nextId(): number;
  add(exchange: Exchange): void;
  update(id: number, change: ExchangeChange): void;
  clear(): void;
}

/**
 * An exchange log over a list kept elsewhere (`read` and `write`: the page's store, or an array
 * in a test); `kept` bounds how many it holds, the oldest going first.
 */
export function exchangeLog(read: () => readonly Exchange[], write: (exchanges: readonly Exchange[]) => void, kept = Number.POSITIVE_INFINITY): ExchangeLog {
  let issued = 0;
  return {
    list: read,
    nextId: () => (issued = Math.max(issued, ...read().map((exchange) => exchange.id)) + 1),
    add: (exchange) => write([...read().slice(Math.max(0, read().length + 1 - kept)), exchange]),
    update: (id, change) => write(read().map((exchange) => (exchange.id === id ? { ...exchange, ...(typeof change === 'function' ? change(exchange) : change) } : exchange))),
    clear: () => write([]),
  };
}
