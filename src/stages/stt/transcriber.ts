/** What every speech-to-text backend is to the rest of the app: turns' audio in, transcripts out as events. */
import type { LoadProgress } from '../../models/loadProgress';

/** A turn's audio for speech to text: the whole turn so far, as a live partial or as its final. */
export interface TurnAudio {
  readonly turn: number;
  readonly revision: number;
  readonly mode: 'partial' | 'final';
  readonly audio: Float32Array;
}

export type TranscriberEvent =
  | { readonly kind: 'progress'; readonly progress: LoadProgress }
  /** Ready to transcribe; `description` says what runs (for the page). */
  | { readonly kind: 'ready'; readonly description: string }
  | {
      readonly kind: 'transcript';
      readonly turn: number;
      readonly revision: number;
      readonly mode: 'partial' | 'final';
      readonly text: string;
      /** The reported language of a final (`en`, `fr-auto`); empty for partials. */
      readonly language: string;
      readonly inferenceMs: number;
      readonly audioMs: number;
    }
  /** Work that became stale (a newer revision, a final after a partial) and was not delivered. */
  | { readonly kind: 'dropped'; readonly turn: number; readonly revision: number; readonly mode: 'partial' | 'final' }
  /** `fatal`: speech to text cannot go on; otherwise one turn was lost and listening goes on. */
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly fatal: boolean }
  /** It stopped after it was ready (its worker crashed, stopped answering, lost its GPU): a fresh one may take over. */
  | { readonly kind: 'stopped'; readonly code: string; readonly message: string };

export interface Transcriber {
  /** Queues a transcription; its result (or that it was dropped) arrives as an event. The audio is transferred. */
  transcribe(audio: TurnAudio): void;
  dispose(): void;
}
