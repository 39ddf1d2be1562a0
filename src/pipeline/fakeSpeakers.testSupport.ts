/** Speakers for conversation scripts: chunks wait in a queue until the script plays some samples. */
import type { PlayedReport } from '../audio/playbackQueue';

export interface QueuedChunk {
  readonly id: number;
  readonly length: number;
  played: number;
}

/** Plays `samples` of what is queued, in order, and reports each chunk touched as the playback worklet does. */
export function playQueued<C extends QueuedChunk>(queue: C[], samples: number): { chunk: C; report: PlayedReport }[] {
  const played: { chunk: C; report: PlayedReport }[] = [];
  let left = samples;
  while (left > 0 && queue[0]) {
    const chunk = queue[0];
    const step = Math.min(left, chunk.length - chunk.played);
    chunk.played += step;
    left -= step;
    const ended = chunk.played === chunk.length;
    played.push({ chunk, report: { id: chunk.id, played: chunk.played, ended } });
    if (ended) queue.shift();
  }
  return played;
}
