/**
 * One reply's way out: its sentence batches are synthesised one at a time, in order, as soon as
 * they arrive (also while the turn may still reopen), and played only once the turn is released.
 * It knows how much of each batch was actually played, so an interrupted reply can be stored as
 * the words the user heard. Plain TypeScript: speech and speakers are passed in.
 */
import type { PlayedReport } from '../audio/playbackQueue';
import type { SpeechSynthesizer } from '../stages/tts';
import type { ReplyVoice } from './replyVoice';
import { heardWords } from './heard';

export interface Speakers {
  play(id: number, samples: Float32Array): void;
  /** Silences playback; resolves with what each dropped chunk had played. */
  flush(): Promise<readonly PlayedReport[]>;
}

export interface ReplySpeechEvents {
  /** The first audio of the reply is handed to the speakers. */
  readonly onPlaying?: () => void;
  /** The first batch's audio is ready; `synthesisMs`: how long it took. */
  readonly onFirstSynthesized?: (synthesisMs: number) => void;
  /** Every batch said has been played to its end, and no more will come. */
  readonly onDone?: () => void;
  /** A batch could not be synthesised (it is skipped; the rest of the reply goes on). */
  readonly onError?: (message: string) => void;
  /** Whether it is audible may have changed other than by starting or ending (a tool's wait). */
  readonly onAudibleChanged?: () => void;
}

interface Batch {
  readonly id: number;
  readonly text: string;
  samples: Float32Array | null;
  /** Synthesis failed or was skipped. */
  skipped: boolean;
  queued: boolean;
  played: number;
  length: number;
  ended: boolean;
}

let nextChunkId = 1;

export class ReplySpeech implements ReplyVoice {
  private readonly batches: Batch[] = [];
  private readonly controller = new AbortController();
  private synthesis: Promise<void> = Promise.resolve();
  private released = false;
  private finished = false;
  private stopped = false;
  private playing = false;
  private done = false;
  /** A tool runs: once what was said before it has played, the reply is silent until it goes on. */
  private toolRunning = false;

  constructor(
    private readonly tts: SpeechSynthesizer,
    private readonly speakers: Speakers,
    private readonly events: ReplySpeechEvents = {},
  ) {}

  /** The chunk ids of this reply, for routing the speakers' reports. */
  owns(id: number): boolean {
    return this.batches.some((batch) => batch.id === id);
  }

  /** A sentence batch to speak. */
  say(text: string): void {
    if (this.stopped) return;
    const batch: Batch = { id: nextChunkId++, text, samples: null, skipped: false, queued: false, played: 0, length: 0, ended: false };
    this.batches.push(batch);
    this.synthesis = this.synthesis.then(async () => {
      if (this.stopped) return;
      try {
        const began = performance.now();
        batch.samples = await this.tts.speak(text, this.controller.signal);
        batch.length = batch.samples.length;
        if (this.batches[0] === batch) this.events.onFirstSynthesized?.(performance.now() - began);
      } catch (error) {
        if (this.stopped) return;
        batch.skipped = true;
        this.events.onError?.(error instanceof Error ? error.message : String(error));
      }
      this.pump();
    });
  }

  /** The turn is final: what is ready plays, and the rest as it comes. */
  release(): void {
    this.released = true;
    this.pump();
  }

  /** The reply is complete: no more batches. */
  finish(): void {
    this.finished = true;
    this.checkDone();
  }

  /** Progress from the speakers. */
  onPlayed(report: PlayedReport): void {
    const batch = this.batches.find((entry) => entry.id === report.id);
    if (!batch) return;
    batch.played = Math.max(batch.played, report.played);
    if (report.ended) batch.ended = true;
    this.checkDone();
    if (report.ended && this.toolRunning) this.events.onAudibleChanged?.();
  }

  /** A tool runs (true) or is done: while it runs and all said has played, nothing is audible (the thinking cue may sound). */
  waitForTool(running: boolean): void {
    if (running === this.toolRunning) return;
    this.toolRunning = running;
    this.events.onAudibleChanged?.();
  }

  /** The words the user has heard so far: whole batches played, and the played share of the one playing. */
  heardText(): string {
    return heardWords(this.batches.map((batch) => ({ text: batch.text, samples: batch.queued ? batch.length : 0, played: batch.played, ended: batch.ended })));
  }

  /** Barge-in or a reopened turn: silence now, stop synthesising, and say what was heard. */
  async stop(): Promise<string> {
    if (this.stopped) return this.heardText();
    this.stopped = true;
    this.controller.abort();
    if (this.batches.some((batch) => batch.queued && !batch.ended)) {
      for (const report of await this.speakers.flush()) this.onPlayed(report);
    }
    return this.heardText();
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** Stopped before its end (barge-in, a reopened turn). */
  get isStopped(): boolean {
    return this.stopped;
  }

  get complete(): boolean {
    return this.done;
  }

  get audible(): boolean {
    return this.playing && !this.done && !this.stopped && !(this.toolRunning && this.batches.every((batch) => batch.skipped || batch.ended));
  }

  private pump(): void {
    if (!this.released || this.stopped) return;
    for (const batch of this.batches) {
      if (batch.queued || batch.skipped) continue;
      // In order: a batch still being synthesised holds back those after it.
      if (!batch.samples) break;
      batch.queued = true;
      this.speakers.play(batch.id, batch.samples);
      batch.samples = null;
      if (!this.playing) {
        this.playing = true;
        this.events.onPlaying?.();
      }
    }
    this.checkDone();
  }

  private checkDone(): void {
    if (this.done || !this.finished || this.stopped) return;
    if (this.batches.every((batch) => batch.skipped || batch.ended)) {
      this.done = true;
      this.events.onDone?.();
    }
  }
}
