/**
 * The speakers report how far each chunk has played, not how much more: this turns those reports
 * into the samples newly played since the last one, chunk by chunk.
 */
import type { PlayedReport } from './playbackQueue';

export class PlayedCounter {
  private readonly soFar = new Map<number, number>();

  /** Samples of `report`'s chunk played since its last report; a chunk that ended is forgotten. */
  take(report: PlayedReport): number {
    const newly = report.played - (this.soFar.get(report.id) ?? 0);
    if (report.ended) this.soFar.delete(report.id);
    else this.soFar.set(report.id, report.played);
    return newly;
  }

  /** Forgets every chunk (the speakers were flushed: each dropped chunk's report was its last). */
  clear(): void {
    this.soFar.clear();
  }
}
