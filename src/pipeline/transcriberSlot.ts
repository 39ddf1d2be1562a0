/**
 * Speech to text that outlives one run of listening: started at page open for a returning visitor
 * whose model is cached, and kept loaded after Stop, so that the next Start finds it ready rather
 * than loading it again (the load, not the download, is most of the wait on a later visit).
 * Its events go to whoever listens now; while nobody does, the last word on its state (ready, or
 * stopped) is kept and told to the next listener.
 */
import type { Transcriber, TranscriberEvent } from '../stages/stt';

type StateEvent = Extract<TranscriberEvent, { kind: 'ready' | 'stopped' | 'error' }>;

export class TranscriberSlot {
  /** The transcriber once started; null for `stt none`. */
  readonly transcriber: Promise<Transcriber | null>;
  private last: StateEvent | null = null;
  private listener: ((event: TranscriberEvent) => void) | null = null;
  private disposed = false;
  private startFailed = false;

  /** `key`: the settings it was started with; another key needs another transcriber. */
  constructor(
    readonly key: string,
    start: (onEvent: (event: TranscriberEvent) => void) => Promise<Transcriber | null>,
  ) {
    this.transcriber = start((event) => this.onEvent(event));
    // A start that fails is the listener's to report; the slot only remembers it.
    this.transcriber.catch(() => {
      this.startFailed = true;
    });
  }

  /** It can no longer transcribe (it stopped, or could not start or load): a new one is needed. */
  get failed(): boolean {
    return this.startFailed || (this.last !== null && (this.last.kind === 'stopped' || (this.last.kind === 'error' && this.last.fatal)));
  }

  /** Its events go to `listener` from now on, starting with its state so far. */
  attach(listener: (event: TranscriberEvent) => void): void {
    this.listener = listener;
    if (this.last) listener(this.last);
  }

  /** Nobody listens any more; it stays loaded. */
  detach(): void {
    this.listener = null;
  }

  dispose(): void {
    this.disposed = true;
    this.listener = null;
    void this.transcriber.then((transcriber) => transcriber?.dispose(), () => undefined);
  }

  private onEvent(event: TranscriberEvent): void {
    if (this.disposed) return;
    // A failure of one turn says nothing of its state, except before it is ready (a server that failed its warm-up).
    if (event.kind === 'ready' || event.kind === 'stopped' || (event.kind === 'error' && (event.fatal || this.last === null))) this.last = event;
    this.listener?.(event);
  }
}
