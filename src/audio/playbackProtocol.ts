/** Messages between the page and the playback AudioWorklet. */
import type { PlayedReport } from './playbackQueue';

export type PlaybackCommand =
  | { readonly kind: 'chunk'; readonly id: number; readonly samples: Float32Array }
  | { readonly kind: 'duck'; readonly ducked: boolean }
  /** The thinking cue on or off (it sounds only while no reply plays). */
  | { readonly kind: 'cue'; readonly on: boolean }
  | { readonly kind: 'flush' };

/** What the speakers did since the last report. */
export interface PlaybackProgress {
  /** Progress of the chunks playing. */
  readonly reports: readonly PlayedReport[];
  /** RMS of everything played since the last report (0 when silent). */
  readonly level: number;
  /** Samples of the thinking cue that sounded since the last report. */
  readonly cueSamples: number;
}

export type PlaybackMessage =
  /** Every few render quanta while anything sounds, and whenever a chunk ends. */
  | ({ readonly kind: 'played' } & PlaybackProgress)
  /** After a flush: what each dropped chunk had played. */
  | { readonly kind: 'flushed'; readonly reports: readonly PlayedReport[] };
