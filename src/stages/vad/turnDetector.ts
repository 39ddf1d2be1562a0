/**
 * Cuts speech into turns exactly as the reference's VAD handler does (`VAD/vad_iterator.py`,
 * `VAD/vad_handler.py`, `pipeline/speculative_turns.py`), fed one 512-sample frame and its Silero
 * probability at a time. Every time is on the audio clock (milliseconds of audio heard), so the
 * same input always gives the same turns.
 *
 * - A frame at or above `thresh` triggers; speech ends after `min_silence_ms` below `thresh - 0.15`.
 *   Frames in between count as speech.
 * - `speech_started` once the utterance holds `min_speech_ms` of speech (less, the continuation
 *   bar, when it may reopen the turn before); `speech_pad_ms` of audio from before the trigger is
 *   prepended to the segment.
 * - A finished segment is a soft end: Smart Turn classifies the whole turn so far, which sets how
 *   long the turn stays open (the grace) and how long speech-to-text should wait.
 * - Speech again before the turn is answered reopens it: revision + 1, with all its audio.
 */
import type { SettingKey, Settings } from '../../settings/schema';
import { concatSamples } from '../../audio/concatSamples';
import { refineSpeechBounds } from './speechBounds';

export const FRAME_SAMPLES = 512;
export const SAMPLE_RATE = 16_000;
const SAMPLES_PER_MS = SAMPLE_RATE / 1000;
/** The reference's hysteresis: speech ends below thresh minus this. */
const END_THRESHOLD_OFFSET = 0.15;
/** A short segment needs this much speech to be held for merging (`_SHORT_SEGMENT_MIN_FRAGMENT_MS`). */
const SHORT_SEGMENT_MIN_FRAGMENT_MS = 100;
/** How long a pending reopen may hold back the release of the turn before it (`_PENDING_REOPEN_WAIT_TIMEOUT_S`). */
const PENDING_REOPEN_WAIT_MS = 2000;
/** Smart Turn reads the last 8 s of the turn. */
export const SMART_TURN_WINDOW_SAMPLES = 8 * SAMPLE_RATE;

/** The settings turn-taking reads: all that the VAD worker is given of them. */
export const TURN_DETECTOR_SETTINGS = [
  'thresh',
  'min_silence_ms',
  'min_speech_ms',
  'min_speech_continuation_ms',
  'max_speech_ms',
  'speech_pad_ms',
  'speculative_reopen_ms',
  'unanswered_reopen_ms',
  'short_segment_merge_ms',
  'smart_turn',
  'smart_turn_threshold',
  'smart_turn_max_wait_ms',
  'smart_turn_incomplete_delay_ms',
  'smart_turn_confident_threshold',
  'smart_turn_confident_reopen_ms',
  'enable_live_transcription',
  'live_transcription_update_interval',
] as const satisfies readonly SettingKey[];

export type TurnDetectorOptions = Pick<Settings, (typeof TURN_DETECTOR_SETTINGS)[number]>;

/** Probability that the turn is complete, from the audio of the whole turn (its last 8 s matter). */
export type SmartTurnClassifier = (audio: Float32Array) => Promise<number>;

interface TurnRef {
  readonly turn: number;
  readonly revision: number;
}

export type TurnEvent =
  | (TurnRef & { readonly kind: 'speech_started'; readonly startMs: number; readonly reopened: boolean })
  | (TurnRef & { readonly kind: 'speech_stopped'; readonly endMs: number; readonly durationS: number; readonly discarded?: 'too_short' | 'too_long' })
  | (TurnRef & { readonly kind: 'progressive'; readonly audio: Float32Array; readonly endMs: number })
  | (TurnRef & {
      readonly kind: 'segment';
      /** The whole turn so far: every earlier segment of this turn, then this one with its pre-roll. */
      readonly audio: Float32Array;
      /** This segment, pre-roll included, and its end (which includes the trailing silence). */
      readonly startMs: number;
      readonly endMs: number;
      /** Where speech starts and ends: Silero's trigger and closing silence, refined to 10 ms by the audio. */
      readonly speechStartMs: number;
      readonly speechEndMs: number;
      readonly smartTurn: { readonly probability: number; readonly complete: boolean } | null;
      /** How long speech-to-text should wait before starting (an incomplete turn may go on). */
      readonly delayMs: number;
      /** How long the turn stays open to speech that continues it, before its reply may be released. */
      readonly graceMs: number;
    })
  | (TurnRef & { readonly kind: 'turn_releasable' })
  | { readonly kind: 'smart_turn_failed'; readonly message: string };

interface HeldSegment {
  readonly audio: Float32Array;
  readonly activeMs: number;
  readonly startMs: number;
  readonly endMs: number;
}

const ms = (samples: number) => Math.floor(samples / SAMPLES_PER_MS);

export class TurnDetector {
  private readonly endThreshold: number;
  private readonly minSilenceSamples: number;
  private readonly padSamples: number;
  private readonly continuationMs: number;
  private readonly unansweredReopenMs: number;

  /** Samples heard since the start. */
  private clock = 0;
  // The utterance being heard (the reference's VADIterator).
  private triggered = false;
  private preSpeech: Float32Array[] = [];
  private preSpeechSamples = 0;
  private prefix: Float32Array[] = [];
  private utterance: Float32Array[] = [];
  private utteranceSamples = 0;
  private activeSamples = 0;
  private silenceStart = 0;
  private started = false;
  private lastProgressMs = -Infinity;
  // The turn (the reference's speculative turn tracker).
  private turn = 0;
  private revision = 0;
  private turnAudio: Float32Array[] = [];
  private softEnded = false;
  private committed = true;
  private lastFinalMs = 0;
  private reopenCandidate = false;
  private reopenCandidateSinceMs = 0;
  private releaseAtMs: number | null = null;
  private held: HeldSegment | null = null;
  /** Push to talk: while the user holds, the turn stays theirs (pauses do not end it). */
  private holding = false;

  constructor(
    private readonly options: TurnDetectorOptions,
    private readonly smartTurn?: SmartTurnClassifier,
  ) {
    this.endThreshold = options.thresh - END_THRESHOLD_OFFSET;
    this.minSilenceSamples = options.min_silence_ms * SAMPLES_PER_MS;
    this.padSamples = options.speech_pad_ms * SAMPLES_PER_MS;
    const continuation = options.min_speech_continuation_ms;
    this.continuationMs = continuation <= 0 ? options.min_speech_ms : Math.min(options.min_speech_ms, Math.max(100, continuation));
    this.unansweredReopenMs = Math.max(
      options.speculative_reopen_ms,
      options.unanswered_reopen_ms,
      options.smart_turn && smartTurn ? options.smart_turn_max_wait_ms : 0,
    );
  }

  /**
   * Push to talk. While held, a pause only soft-ends the turn: speech after it continues the same
   * turn, and nothing is released. Letting go is followed by `endTurnNow`.
   */
  hold(holding: boolean): void {
    this.holding = holding;
  }

  /**
   * Ends the turn now ("send now", or letting go of push to talk): speech being heard ends here
   * (voice activity has already trimmed the silence before it), without Smart Turn's wait or the
   * reopen grace, and the turn is released at once. Nothing happens without speech.
   */
  async endTurnNow(): Promise<TurnEvent[]> {
    const events: TurnEvent[] = [];
    const now = this.nowMs;
    this.holding = false;
    if (this.triggered) {
      if (this.silenceStart === 0) this.silenceStart = this.clock;
      await this.endSegment(events, now, true);
    }
    if (this.softEnded && !this.committed) {
      this.reopenCandidate = false;
      this.releaseAtMs = now;
    }
    this.maybeRelease(events, now);
    return events;
  }

  /** The audio clock, in milliseconds. */
  get nowMs(): number {
    return ms(this.clock);
  }

  /** Takes one frame and its speech probability; returns what happened, in order. */
  async push(frame: Float32Array, probability: number): Promise<TurnEvent[]> {
    const events: TurnEvent[] = [];
    this.clock += frame.length;
    const now = this.nowMs;

    if (!this.triggered) {
      if (probability >= this.options.thresh) {
        this.trigger(frame, now);
        this.checkSpeechStarted(events);
      } else {
        this.rememberPreSpeech(frame);
        if (this.held && now - this.held.endMs > this.options.short_segment_merge_ms) this.held = null;
      }
    } else {
      this.utterance.push(frame);
      this.utteranceSamples += frame.length;
      if (probability >= this.endThreshold) {
        this.activeSamples += frame.length;
        this.silenceStart = 0;
      } else if (this.silenceStart === 0) {
        this.silenceStart = this.clock;
      }
      if (this.silenceStart !== 0 && this.clock - this.silenceStart >= this.minSilenceSamples) {
        await this.endSegment(events, now);
      } else {
        this.checkSpeechStarted(events);
        // Under thresh the speech may be ending: its final is near, and a partial now would only run ahead of it.
        if (probability >= this.options.thresh) this.maybeProgressive(events, now);
      }
    }
    this.maybeRelease(events, now);
    return events;
  }

  private trigger(frame: Float32Array, now: number): void {
    this.triggered = true;
    this.prefix = this.preSpeech;
    this.preSpeech = [];
    this.preSpeechSamples = 0;
    this.utterance = [frame];
    this.utteranceSamples = frame.length;
    this.activeSamples = frame.length;
    this.silenceStart = 0;
    this.started = false;
    // Speech that may continue the turn before starts a reopen at once, before it is confirmed.
    if (this.shouldReopen(this.segmentStartMs(now))) {
      this.reopenCandidate = true;
      this.reopenCandidateSinceMs = now;
    }
  }

  /** Keeps exactly `speech_pad_ms` of audio from before the trigger, slicing a frame if needed. */
  private rememberPreSpeech(frame: Float32Array): void {
    if (this.padSamples === 0) return;
    this.preSpeech.push(frame);
    this.preSpeechSamples += frame.length;
    while (this.preSpeechSamples > this.padSamples) {
      const oldest = this.preSpeech[0] as Float32Array;
      const excess = this.preSpeechSamples - this.padSamples;
      if (excess >= oldest.length) {
        this.preSpeech.shift();
        this.preSpeechSamples -= oldest.length;
      } else {
        this.preSpeech[0] = oldest.subarray(excess);
        this.preSpeechSamples -= excess;
      }
    }
  }

  private prefixSamples(): number {
    return this.prefix.reduce((sum, part) => sum + part.length, 0);
  }

  /** Start of the current utterance with its pre-roll. */
  private segmentStartMs(now: number): number {
    return now - ms(this.prefixSamples() + this.utteranceSamples);
  }

  private shouldReopen(startMs: number): boolean {
    if (this.softEnded && !this.committed && this.holding) return true;
    return this.softEnded && !this.committed && startMs - this.lastFinalMs <= this.unansweredReopenMs;
  }

  /** `min_speech_ms`, or the lower continuation bar for speech that may reopen the turn. */
  private minActiveMs(startMs: number): number {
    return this.reopenCandidate || this.shouldReopen(startMs) ? this.continuationMs : this.options.min_speech_ms;
  }

  /** Active speech of the utterance, plus that of a held short segment it would merge with. */
  private effectiveActiveMs(startMs: number): number {
    const own = ms(this.activeSamples);
    const held = this.held;
    return held && startMs - held.endMs <= this.options.short_segment_merge_ms ? own + held.activeMs : own;
  }

  private checkSpeechStarted(events: TurnEvent[]): void {
    if (this.started) return;
    const now = this.nowMs;
    const startMs = this.segmentStartMs(now);
    if (this.effectiveActiveMs(startMs) < this.minActiveMs(startMs)) return;
    this.emitSpeechStarted(events, startMs);
  }

  private emitSpeechStarted(events: TurnEvent[], startMs: number): void {
    this.started = true;
    // A reopen candidate is taken at the trigger exactly when the turn may be reopened.
    const reopened = this.reopenCandidate;
    if (reopened) {
      this.revision += 1;
      this.reopenCandidate = false;
      this.releaseAtMs = null;
    } else {
      this.turn += 1;
      this.revision = 0;
      this.turnAudio = [];
      this.softEnded = false;
      this.committed = false;
      this.releaseAtMs = null;
    }
    events.push({ kind: 'speech_started', turn: this.turn, revision: this.revision, startMs, reopened });
  }

  private maybeProgressive(events: TurnEvent[], now: number): void {
    if (!this.options.enable_live_transcription || !this.started) return;
    const utteranceS = (this.prefixSamples() + this.utteranceSamples) / SAMPLE_RATE;
    const multiplier = utteranceS < 8 ? 1 : utteranceS < 15 ? 2 : utteranceS < 30 ? 4 : 6;
    const pauseMs = Math.min(Math.max(0, this.options.live_transcription_update_interval) * multiplier, 2) * 1000;
    if (now - this.lastProgressMs < pauseMs) return;
    this.lastProgressMs = now;
    events.push({
      kind: 'progressive',
      turn: this.turn,
      revision: this.revision,
      audio: concatSamples([...this.turnAudio, ...this.prefix, ...this.utterance]),
      endMs: now,
    });
  }

  /** `now`: the turn ends here, whatever Smart Turn would say (send now). */
  private async endSegment(events: TurnEvent[], now: number, endsTurn = false): Promise<void> {
    let audio = concatSamples([...this.prefix, ...this.utterance]);
    let activeMs = ms(this.activeSamples);
    let startMs = now - ms(audio.length);
    const rawActiveMs = activeMs;
    // Silero's decisions (the trigger frame, the first frame of silence), placed by the audio itself.
    const audioStart = this.clock - audio.length;
    const bounds = refineSpeechBounds(audio, this.prefixSamples(), this.silenceStart - FRAME_SAMPLES - audioStart);
    const speechStartMs = ms(audioStart + bounds.start);
    const speechEndMs = ms(audioStart + bounds.end);
    const wasStarted = this.started;
    this.resetUtterance();

    // A short segment held before, close enough, is stitched in front of this one.
    const held = this.held;
    if (held && rawActiveMs >= SHORT_SEGMENT_MIN_FRAGMENT_MS && startMs - held.endMs <= this.options.short_segment_merge_ms) {
      audio = concatSamples([held.audio, new Float32Array(Math.max(0, startMs - held.endMs) * SAMPLES_PER_MS), audio]);
      activeMs += held.activeMs;
      startMs = held.startMs;
      this.held = null;
    } else if (held && startMs - held.endMs > this.options.short_segment_merge_ms) {
      this.held = null;
    }

    const minActive = wasStarted ? 0 : this.minActiveMs(startMs);
    const durationMs = ms(audio.length);
    if (activeMs < minActive || durationMs > this.options.max_speech_ms) {
      const tooLong = durationMs > this.options.max_speech_ms;
      if (!tooLong && this.options.short_segment_merge_ms > 0 && rawActiveMs >= SHORT_SEGMENT_MIN_FRAGMENT_MS) {
        this.held = { audio, activeMs, startMs, endMs: now };
      }
      if (wasStarted) {
        events.push({ kind: 'speech_stopped', turn: this.turn, revision: this.revision, endMs: now, durationS: 0, discarded: tooLong ? 'too_long' : 'too_short' });
      } else {
        this.reopenCandidate = false;
      }
      return;
    }

    if (!wasStarted) this.emitSpeechStarted(events, startMs);
    this.started = false;
    const turnAudio = concatSamples([...this.turnAudio, audio]);
    events.push({ kind: 'speech_stopped', turn: this.turn, revision: this.revision, endMs: now, durationS: turnAudio.length / SAMPLE_RATE });

    const { graceMs, delayMs, smartTurn } = endsTurn ? { graceMs: 0, delayMs: 0, smartTurn: null } : await this.classify(turnAudio, events);
    this.turnAudio = [turnAudio];
    this.softEnded = true;
    this.lastFinalMs = now;
    this.releaseAtMs = now + graceMs;
    this.lastProgressMs = -Infinity;
    // The event's audio is the receiver's to keep (or transfer); the turn keeps its own.
    events.push({ kind: 'segment', turn: this.turn, revision: this.revision, audio: turnAudio.slice(), startMs, endMs: now, speechStartMs, speechEndMs, smartTurn, delayMs, graceMs });
  }

  private async classify(turnAudio: Float32Array, events: TurnEvent[]): Promise<{ graceMs: number; delayMs: number; smartTurn: { probability: number; complete: boolean } | null }> {
    const { options } = this;
    if (!options.smart_turn || !this.smartTurn) return { graceMs: options.speculative_reopen_ms, delayMs: 0, smartTurn: null };
    try {
      const probability = await this.smartTurn(turnAudio.subarray(Math.max(0, turnAudio.length - SMART_TURN_WINDOW_SAMPLES)));
      const complete = probability > options.smart_turn_threshold;
      // A turn Smart Turn is sure of is answered sooner; the reference waits the same grace for every turn.
      const graceMs = probability > options.smart_turn_confident_threshold ? Math.min(options.speculative_reopen_ms, options.smart_turn_confident_reopen_ms) : options.speculative_reopen_ms;
      return complete
        ? { graceMs, delayMs: 0, smartTurn: { probability, complete } }
        : { graceMs: options.smart_turn_max_wait_ms, delayMs: Math.min(options.smart_turn_incomplete_delay_ms, options.smart_turn_max_wait_ms), smartTurn: { probability, complete } };
    } catch (error) {
      // As the reference: a failed classification ends the turn as plain VAD would.
      events.push({ kind: 'smart_turn_failed', message: error instanceof Error ? error.message : String(error) });
      return { graceMs: options.speculative_reopen_ms, delayMs: 0, smartTurn: null };
    }
  }

  private resetUtterance(): void {
    this.triggered = false;
    this.prefix = [];
    this.utterance = [];
    this.utteranceSamples = 0;
    this.activeSamples = 0;
    this.silenceStart = 0;
  }

  /** The grace is over and no speech is about to reopen the turn: its reply may be released. */
  private maybeRelease(events: TurnEvent[], now: number): void {
    if (this.releaseAtMs === null || now < this.releaseAtMs || this.holding) return;
    if (this.reopenCandidate && now - this.reopenCandidateSinceMs < PENDING_REOPEN_WAIT_MS) return;
    this.releaseAtMs = null;
    // The turn is answered from here: its reply is released now. Committing here, in audio time,
    // rather than when the page acknowledges the release, keeps the choice between reopening this
    // turn and starting a new one independent of how busy the page is.
    this.committed = true;
    events.push({ kind: 'turn_releasable', turn: this.turn, revision: this.revision });
  }
}
