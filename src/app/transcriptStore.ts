/** What the page shows of speech to text: its model's load, and each turn's words (live partials, then the final). */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LoadProgress } from '../models/loadProgress';
import type { StageStatus } from '../pipeline/pipeline';

export interface TurnTranscript {
  readonly turn: number;
  readonly revision: number;
  readonly partial: string | null;
  readonly final: string | null;
  readonly language: string | null;
  readonly inferenceMs: number | null;
  /** Said over the reply as an acknowledgement ("yeah, right"): the reply went on, and it is not answered. */
  readonly backchannel?: boolean;
  /** Said while a tool call waited: a yes or a no that answered it (no message to the model). */
  readonly toolAnswer?: 'allow-once' | 'deny';
}

export interface TranscriptState {
  readonly status: StageStatus;
  /** What went wrong, or what to know while it works. */
  readonly detail: string | null;
  /** What transcribes, once ready. */
  readonly runtime: string | null;
  readonly files: Readonly<Record<string, LoadProgress>>;
  readonly turns: readonly TurnTranscript[];
}

export type TranscriptStore = StoreApi<TranscriptState>;

export function createTranscriptStore(): TranscriptStore {
  return createStore<TranscriptState>()(() => ({ status: 'off', detail: null, runtime: null, files: {}, turns: [] }));
}

/** How many turns' transcripts are kept. */
export const KEPT_TURNS = 24;

/** Updates a turn's transcript (`latest`: the revision shown, if any); an older revision than the one shown changes nothing. */
export function updateTurn(store: TranscriptStore, turn: number, of: number | 'latest', change: Partial<TurnTranscript>): void {
  store.setState((state) => {
    const existing = state.turns.find((entry) => entry.turn === turn);
    if (of === 'latest' && !existing) return state;
    const revision = of === 'latest' ? (existing?.revision ?? 0) : of;
    if (existing && existing.revision > revision) return state;
    const base: TurnTranscript = existing && existing.revision === revision ? existing : { turn, revision, partial: existing?.partial ?? null, final: null, language: null, inferenceMs: null };
    const updated = { ...base, ...change };
    // A new turn: only the latest few are kept (the exchanges hold what was said).
    return { turns: existing ? state.turns.map((entry) => (entry.turn === turn ? updated : entry)) : [...state.turns.slice(1 - KEPT_TURNS), updated] };
  });
}
