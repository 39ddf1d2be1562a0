/**
 * Whether a model load still makes headway. A download that stops sending trips the load's
 * silence bound; one that trickles (a few bytes every few seconds) would restart that count
 * forever and keep the page at "Loading". So only progress worth the name is news: a file
 * started or finished, at least `MIN_HEADWAY_BYTES` more bytes, or (for a loader that reports
 * steps) at least `MIN_HEADWAY_FRACTION` more of the whole. With the silence bound of two
 * minutes that asks for about 8 KB/s, and so bounds the whole download by its size.
 */
import type { LoadProgress } from './loadProgress';

export const MIN_HEADWAY_BYTES = 1024 * 1024;
export const MIN_HEADWAY_FRACTION = 0.001;

export class DownloadPace {
  private readonly files = new Map<string, number>();
  private loaded = 0;
  private loadedAtNews = 0;
  private fractionAtNews: number | null = null;
  /** Something arrived since the last news: the load is trickling, not silent. */
  private trickle = false;

  /** One file's progress; true when it is news (the silence count starts again). */
  file(progress: LoadProgress): boolean {
    const previous = this.files.get(progress.file);
    this.files.set(progress.file, progress.loaded);
    this.loaded += progress.loaded - (previous ?? 0);
    if (previous === undefined || progress.done || this.loaded - this.loadedAtNews >= MIN_HEADWAY_BYTES) return this.news(() => (this.loadedAtNews = this.loaded));
    this.trickle = true;
    return false;
  }

  /** A step of a loader that reports the fraction of the whole; true when it is news. */
  step(fraction: number): boolean {
    if (this.fractionAtNews === null || fraction - this.fractionAtNews >= MIN_HEADWAY_FRACTION || fraction >= 1) return this.news(() => (this.fractionAtNews = fraction));
    this.trickle = true;
    return false;
  }

  /** Why the load is given up on, when the silence bound (`bound`, in words: "2 min") runs out. */
  stalled(what: string, bound: string): string {
    return this.trickle
      ? `The ${what} model is downloading too slowly to finish: less than ${MIN_HEADWAY_BYTES / 1024 / 1024} MB arrived in ${bound}. Check your connection and the host in models_base_url, then start again.`
      : `The ${what} model stopped loading: nothing arrived for ${bound}. Check your connection, then start again.`;
  }

  private news(remember: () => void): boolean {
    remember();
    this.trickle = false;
    return true;
  }
}
