/**
 * The page's side of a stage worker: it loads the worker, correlates requests with their answers,
 * reports load progress, and turns whatever goes wrong in the worker (a failure it reports, an
 * uncaught error, a message that cannot be read), during loading or at any time after, into a
 * StageError with a code. Pending requests reject with it; once loaded, `onFailed` hears it.
 *
 * Nothing waits on a worker forever: a load that reports nothing for `loadSilenceMs`, a worker
 * with work in hand that says nothing for `busySilenceMs`, and a cancelled request the worker
 * does not let go of within `cancelMs` mean the worker no longer answers; it is terminated and fails as `unresponsive`, so its owner
 * can start a fresh one rather than queue behind it.
 */
import { DownloadPace } from '../models/downloadPace';
import type { LoadProgress } from '../models/loadProgress';
import { StageError, abortReason } from './stageError';
import type { FromWorker, StageProtocol, ToWorker } from './workerProtocol';

/** What the client needs of a Worker (a test passes one end of a MessageChannel). */
export interface WorkerLike {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message' | 'error' | 'messageerror', listener: (event: Event) => void): void;
  terminate(): void;
}

export interface WorkerClientEvents<P extends StageProtocol> {
  readonly onProgress?: (progress: LoadProgress) => void;
  readonly onEvent?: (event: P['event']) => void;
  /** The worker cannot go on after it was ready (it failed, or crashed); pending requests have been rejected. */
  readonly onFailed?: (error: StageError) => void;
}

/** How long the page waits on the worker before it counts as not answering. */
export interface WorkerBounds {
  /** A load with no message (progress or ready) for this long. */
  readonly loadSilenceMs: number;
  /** Requests in hand (running or waiting) and no message at all for this long. */
  readonly busySilenceMs: number;
  /** A cancelled request the worker has not answered (result or failure) after this long. */
  readonly cancelMs: number;
}

/**
 * Generous enough for a slow machine: a model's session set-up after its download can take a
 * minute with nothing to report, and one Whisper pass over 30 s of audio on two cores some
 * seconds; a generation checks its stop signal at every token.
 */
export const DEFAULT_BOUNDS: WorkerBounds = { loadSilenceMs: 120_000, busySilenceMs: 60_000, cancelMs: 5_000 };

export interface RequestOptions<P extends StageProtocol> {
  readonly transfer?: Transferable[];
  /** Aborting rejects the request at once and tells the worker to stop it. */
  readonly signal?: AbortSignal;
  readonly onPartial?: (partial: P['partial']) => void;
}

interface Pending<P extends StageProtocol> {
  readonly resolve: (result: P['result']) => void;
  readonly reject: (error: Error) => void;
  readonly onPartial: ((partial: P['partial']) => void) | undefined;
}

export class WorkerClient<P extends StageProtocol> {
  private nextId = 1;
  private readonly pending = new Map<number, Pending<P>>();
  private loading: { resolve: (ready: P['ready']) => void; reject: (error: StageError) => void } | null = null;
  private ready = false;
  /** Why the worker cannot take requests: it failed or was stopped. */
  private ended: StageError | null = null;
  /** Counts the load's silence: no message, or downloads that only trickle (see DownloadPace). */
  private loadTimer: ReturnType<typeof setTimeout> | null = null;
  private readonly pace = new DownloadPace();
  /** Cancelled requests the worker has not let go of yet. */
  private readonly timers = new Map<number, ReturnType<typeof setTimeout>>();
  /** Counts the silence of a worker with work in hand. */
  private busyTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    private readonly worker: WorkerLike,
    /** The stage, as the user knows it ("speech-to-text"), for the messages. */
    private readonly stage: string,
    private readonly events: WorkerClientEvents<P> = {},
    private readonly bounds: WorkerBounds = DEFAULT_BOUNDS,
  ) {
    worker.addEventListener('message', (event) => this.receive((event as MessageEvent<FromWorker<P>>).data));
    worker.addEventListener('error', (event) => {
      // Handled here: the browser need not log it as uncaught.
      event.preventDefault();
      const detail = (event as ErrorEvent).message || 'a script error';
      // After its load the stage is started again by itself, and the page says so: no advice here.
      const advice = this.ready ? '' : ' Stop and start again, or reload the page.';
      this.fail(new StageError('crashed', `The ${stage} worker stopped (${detail}).${advice}`, this.ready ? 'run' : 'load'));
    });
    worker.addEventListener('messageerror', () => {
      this.fail(new StageError('unreadable-message', `The ${stage} worker sent a message this page could not read. Reload the page.`, this.ready ? 'run' : 'load'));
    });
  }

  /** Loads the worker's models; resolves with what it says once ready, rejects with a StageError. */
  load(payload: P['load'], transfer: Transferable[] = []): Promise<P['ready']> {
    if (this.ended) return Promise.reject(this.ended);
    return new Promise<P['ready']>((resolve, reject) => {
      this.loading = { resolve, reject };
      this.watchLoad();
      this.post({ kind: 'load', payload }, transfer);
    });
  }

  /** Whether the worker is loaded and still answering. */
  get alive(): boolean {
    return this.ready && this.ended === null;
  }

  /** One piece of work; its partial answers go to `onPartial` before the result. */
  request(payload: P['request'], options: RequestOptions<P> = {}): Promise<P['result']> {
    if (this.ended) return Promise.reject(this.ended);
    const { signal } = options;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    const id = this.nextId++;
    return new Promise<P['result']>((resolve, reject) => {
      const onAbort = () => {
        this.pending.delete(id);
        this.post({ kind: 'cancel', id }, []);
        // The worker answers a cancelled request too, once it has let go of it; until then it is busy.
        this.setTimer(id, this.bounds.cancelMs, `did not stop within ${seconds(this.bounds.cancelMs)} when asked`);
        if (signal) reject(abortReason(signal));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      const done = () => {
        signal?.removeEventListener('abort', onAbort);
        this.pending.delete(id);
      };
      this.pending.set(id, {
        resolve: (result) => {
          done();
          resolve(result);
        },
        reject: (error) => {
          done();
          reject(error);
        },
        onPartial: options.onPartial,
      });
      this.post({ kind: 'request', id, payload }, options.transfer ?? []);
      // Only what the worker says restarts the count: a stuck worker sent more work stays stuck.
      this.watchBusy(false);
    });
  }

  /** Asks the worker to release its models and close; pending requests reject. */
  stop(): void {
    if (this.ended) return;
    this.post({ kind: 'stop' }, []);
    this.end(new StageError('stopped', `The ${this.stage} worker was stopped.`));
  }

  /** Ends the worker at once. */
  terminate(): void {
    this.worker.terminate();
    if (!this.ended) this.end(new StageError('stopped', `The ${this.stage} worker was stopped.`));
  }

  private receive(message: FromWorker<P>): void {
    if (this.ended) return;
    if ((message.kind === 'result' || message.kind === 'failed') && message.id !== undefined) this.clearTimer(message.id);
    this.watchBusy(true);
    switch (message.kind) {
      case 'progress':
        if (this.pace.file(message.progress)) this.watchLoad();
        this.events.onProgress?.(message.progress);
        break;
      case 'ready':
        this.stopWatchingLoad();
        this.ready = true;
        this.loading?.resolve(message.payload);
        this.loading = null;
        break;
      case 'failed':
        if (message.phase === 'request' && message.id !== undefined) this.pending.get(message.id)?.reject(new StageError(message.code, message.message, 'request'));
        else this.fail(new StageError(message.code, message.message, message.phase));
        break;
      case 'event':
        this.events.onEvent?.(message.payload);
        break;
      case 'partial':
        this.pending.get(message.id)?.onPartial?.(message.payload);
        break;
      case 'result':
        this.pending.get(message.id)?.resolve(message.payload);
        break;
    }
  }

  /** The worker cannot go on: it is ended, and whoever waits on it hears why. */
  private fail(error: StageError): void {
    if (this.ended) return;
    const wasReady = this.ready;
    this.worker.terminate();
    this.end(error);
    if (wasReady) this.events.onFailed?.(error);
  }

  /** (Re)starts the count of the load's silence. */
  private watchLoad(): void {
    this.stopWatchingLoad();
    this.loadTimer = setTimeout(() => {
      this.fail(new StageError('unresponsive', this.pace.stalled(this.stage, seconds(this.bounds.loadSilenceMs)), 'load'));
    }, this.bounds.loadSilenceMs);
  }

  private stopWatchingLoad(): void {
    if (this.loadTimer !== null) clearTimeout(this.loadTimer);
    this.loadTimer = null;
  }

  /** Restarts the count of silence while the worker has work in hand; stops it when it has none. */
  private watchBusy(heard: boolean): void {
    if (heard && this.busyTimer !== null) {
      clearTimeout(this.busyTimer);
      this.busyTimer = null;
    }
    // Checked once the message in hand has been handled.
    queueMicrotask(() => {
      if (this.ended || this.busyTimer !== null || (this.pending.size === 0 && this.timers.size === 0)) return;
      this.busyTimer = setTimeout(() => this.fail(new StageError('unresponsive', `The ${this.stage} worker said nothing for ${seconds(this.bounds.busySilenceMs)} while it had work, so it was stopped.`, 'run')), this.bounds.busySilenceMs);
    });
  }

  private setTimer(id: number, ms: number, what: string): void {
    this.clearTimer(id);
    this.timers.set(
      id,
      setTimeout(() => this.fail(new StageError('unresponsive', `The ${this.stage} worker ${what}, so it was stopped.`, 'run')), ms),
    );
  }

  private clearTimer(id: number): void {
    const timer = this.timers.get(id);
    if (timer !== undefined) clearTimeout(timer);
    this.timers.delete(id);
  }

  private end(error: StageError): void {
    this.stopWatchingLoad();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
    if (this.busyTimer !== null) clearTimeout(this.busyTimer);
    this.busyTimer = null;
    this.ended = error;
    this.loading?.reject(error);
    this.loading = null;
    for (const pending of [...this.pending.values()]) pending.reject(error);
    this.pending.clear();
  }

  private post(message: ToWorker<P>, transfer: Transferable[]): void {
    this.worker.postMessage(message, transfer);
  }
}

function seconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 100) / 10} s`;
}
