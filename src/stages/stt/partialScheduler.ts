/**
 * When a live partial may go to speech to text, so that partials never delay a final.
 *
 * Onnxruntime cannot stop a pass once it has started, and Whisper's encoder costs the same for
 * 1 s of audio as for 30 s (it pads to 30 s): a final that arrives while a partial runs waits for
 * the rest of that pass. So partials are scheduled, not just queued:
 * - each partial's measured cost sets the cadence: partials take at most `PARTIAL_SHARE` of the
 *   transcriber's time, so on a slow machine there are fewer of them, quietly;
 * - no partial starts while the voice activity is under `thresh` (the speech may be ending: its
 *   final is about to come) — the partial waiting then is dropped, the next speech brings a newer one;
 * - a final goes at once, and takes the place of its turn's partial not yet sent.
 * Only the newest partial waits; an older one is never worth running.
 */
import type { Transcriber, TurnAudio } from './transcriber';

/**
 * The share of the transcriber's time partials may take. A half leaves the other half for the
 * final (a final arriving at a random moment finds a partial running at most half the time) and
 * for the voice activity detection and the language model, which share the machine's cores.
 */
export const PARTIAL_SHARE = 0.5;

/** A partial that never comes back (lost with its request) stops holding the next one after this. */
export const PARTIAL_SETTLE_BOUND_MS = 10_000;

export interface SchedulerClock {
  now(): number;
  /** Runs `run` after `ms`; returns what cancels it. */
  after(ms: number, run: () => void): () => void;
}

const realClock: SchedulerClock = {
  now: () => performance.now(),
  after: (ms, run) => {
    const timer = setTimeout(run, ms);
    return () => clearTimeout(timer);
  },
};

export class PartialScheduler {
  private pending: TurnAudio | null = null;
  private speaking = false;
  /** The latest measured cost of a partial, in milliseconds; null until one has run. */
  private costMs: number | null = null;
  /** When the last partial was sent; the next waits `costMs / share` from there. */
  private lastSentAt = Number.NEGATIVE_INFINITY;
  /** A partial was sent and has not come back: the next one waits for it (and for its cost). */
  private inFlight = false;
  private cancelTimer: (() => void) | null = null;

  constructor(
    private readonly transcriber: Transcriber,
    private readonly clock: SchedulerClock = realClock,
    private readonly share: number = PARTIAL_SHARE,
  ) {}

  /** A turn's audio: a final is sent now; a partial waits for its moment. */
  submit(audio: TurnAudio): void {
    if (audio.mode === 'final') {
      if (this.pending && this.pending.turn <= audio.turn) this.dropPending();
      this.transcriber.transcribe(audio);
      return;
    }
    this.pending = audio;
    this.pump();
  }

  /** The voice activity of each frame: whether it is at or above `thresh`. */
  voiceActivity(speaking: boolean): void {
    if (speaking === this.speaking) return;
    this.speaking = speaking;
    // The speech may be ending: the waiting partial is dropped rather than run ahead of the final.
    if (!speaking) this.dropPending();
    else this.pump();
  }

  /**
   * A partial came back: with its measured inference time (its transcript), which sets the
   * cadence, or without (dropped as stale, or failed).
   */
  partialSettled(inferenceMs: number | null): void {
    this.inFlight = false;
    // Smoothed, so one pass slowed by other work does not halve the live cadence for long.
    if (inferenceMs !== null && inferenceMs >= 0) this.costMs = this.costMs === null ? inferenceMs : (this.costMs + inferenceMs) / 2;
    this.pump();
  }

  /** The earliest moment the next partial may be sent. */
  get nextPartialAt(): number {
    if (this.inFlight) return this.lastSentAt + PARTIAL_SETTLE_BOUND_MS;
    return this.costMs === null ? this.lastSentAt : this.lastSentAt + this.costMs / this.share;
  }

  dispose(): void {
    this.dropPending();
  }

  private dropPending(): void {
    this.pending = null;
    this.cancelTimer?.();
    this.cancelTimer = null;
  }

  private pump(): void {
    if (this.pending === null || !this.speaking) return;
    // Rescheduled from here: the moment may have moved (a partial came back).
    this.cancelTimer?.();
    this.cancelTimer = null;
    const wait = this.nextPartialAt - this.clock.now();
    if (wait > 0) {
      this.cancelTimer = this.clock.after(wait, () => {
        this.cancelTimer = null;
        this.pump();
      });
      return;
    }
    const audio = this.pending;
    this.pending = null;
    this.lastSentAt = this.clock.now();
    this.inFlight = true;
    this.transcriber.transcribe(audio);
  }
}
