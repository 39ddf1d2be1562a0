/** What the app needs of a reply's voice, whether it plays samples (ReplySpeech) or the browser speaks it (WebSpeechReply). */
import type { PlayedReport } from '../audio/playbackQueue';

export interface ReplyVoice {
  /** Whether a speakers' report is about this reply's audio. */
  owns(id: number): boolean;
  onPlayed(report: PlayedReport): void;
  /** A sentence batch to speak. */
  say(text: string): void;
  /** The turn is final: the reply may be heard. */
  release(): void;
  /** No more batches will come. */
  finish(): void;
  /** A tool runs (true) or is done: once what was said before it has played, the reply is not audible meanwhile. */
  waitForTool(running: boolean): void;
  /** The words the user has heard so far. */
  heardText(): string;
  /** Silence now; resolves with the words heard. */
  stop(): Promise<string>;
  readonly audible: boolean;
  /** Everything said has been heard to the end. */
  readonly complete: boolean;
  /** Its turn was final, so it may be heard. */
  readonly isReleased: boolean;
  /** Stopped before its end (barge-in, a reopened turn). */
  readonly isStopped: boolean;
}
