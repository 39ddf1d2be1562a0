/**
 * The page's side of a stage worker: it loads the worker, correlates requests with their answers,
 * reports load progress, and turns whatever goes wrong in the worker (a failure it reports, an
 * uncaught error, a message that cannot be read), during loading or at any time after, into a
 * StageError with a code. Pending requests reject with it; once loaded, `onFailed` hears it.
 */
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

  constructor(
    private readonly worker: WorkerLike,
    /** The stage, as the user knows it ("speech-to-text"), for the messages. */
    private readonly stage: string,
    private readonly events: WorkerClientEvents<P> = {},
  ) {
    worker.addEventListener('message', (event) => this.receive((event as MessageEvent<FromWorker<P>>).data));
    worker.addEventListener('error', (event) => {
      // Handled here: the browser need not log it as uncaught.
      event.preventDefault();
      const detail = (event as ErrorEvent).message || 'a script error';
      this.fail(new StageError('crashed', `The ${stage} worker stopped (${detail}). Stop and start again, or reload the page.`, this.ready ? 'run' : 'load'));
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
      this.post({ kind: 'load', payload }, transfer);
    });
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
    switch (message.kind) {
      case 'progress':
        this.events.onProgress?.(message.progress);
        break;
      case 'ready':
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

  private end(error: StageError): void {
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
