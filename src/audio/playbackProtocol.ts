/** Messages between the page and the playback AudioWorklet. */
import type { PlayedReport } from './playbackQueue';

export type PlaybackCommand =
  | { readonly kind: 'chunk'; readonly id: number; readonly samples: Float32Array }
  | { readonly kind: 'duck'; readonly ducked: boolean }
  | { readonly kind: 'flush' };

export type PlaybackMessage =
  /** Progress of the chunks playing: every few render quanta, and whenever a chunk ends. */
  | { readonly kind: 'played'; readonly reports: readonly PlayedReport[] }
  /** After a flush: what each dropped chunk had played. */
  | { readonly kind: 'flushed'; readonly reports: readonly PlayedReport[] };
