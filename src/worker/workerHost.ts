/**
 * The worker's side of the envelope: it decodes the page's messages, runs the stage's load and
 * requests, and answers with progress, ready, results and failures (each with a code). Requests
 * that arrive while the models load wait for them. A worker entry point is one call of this.
 */
import type { LoadProgress } from '../models/loadProgress';
import { errorCode, errorMessage, type FailurePhase } from './stageError';
import type { FromWorker, StageProtocol, ToWorker } from './workerProtocol';

/** What the host needs of the worker's global scope (a test passes one end of a MessageChannel). */
export interface WorkerScope {
  postMessage(message: unknown, transfer: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  close(): void;
}

/** A result, and the buffers to transfer with it rather than copy. */
export interface Answer<R> {
  readonly result: R;
  readonly transfer?: Transferable[];
}

export interface RequestContext<P extends StageProtocol> {
  readonly id: number;
  /** Aborts when the page cancels the request. */
  readonly signal: AbortSignal;
  partial(payload: P['partial']): void;
}

export interface StageHandlers<P extends StageProtocol> {
  load(payload: P['load'], progress: (progress: LoadProgress) => void): Promise<P['ready']>;
  request?(payload: P['request'], context: RequestContext<P>): Promise<Answer<P['result']>>;
  /** Releases the models before the worker closes. */
  stop?(): Promise<void> | void;
}

export interface StageHost<P extends StageProtocol> {
  /** Reports an event the page did not ask for. */
  emit(event: P['event'], transfer?: Transferable[]): void;
  /** The worker cannot go on. */
  fail(code: string, message: string, phase?: FailurePhase): void;
}

export function hostStage<P extends StageProtocol>(scope: WorkerScope, handlers: StageHandlers<P>): StageHost<P> {
  const post = (message: FromWorker<P>, transfer: Transferable[] = []) => scope.postMessage(message, transfer);
  const controllers = new Map<number, AbortController>();
  let loaded: Promise<boolean> | null = null;

  async function load(payload: P['load']): Promise<boolean> {
    try {
      const ready = await handlers.load(payload, (progress) => post({ kind: 'progress', progress }));
      post({ kind: 'ready', payload: ready });
      return true;
    } catch (error) {
      post({ kind: 'failed', phase: 'load', code: errorCode(error, 'load-failed'), message: errorMessage(error) });
      return false;
    }
  }

  async function request(id: number, payload: P['request']): Promise<void> {
    const controller = new AbortController();
    controllers.set(id, controller);
    try {
      if (!handlers.request) throw new Error('This worker takes no requests.');
      if (!(await (loaded ?? Promise.resolve(false)))) throw new Error('The model is not loaded.');
      const answer = await handlers.request(payload, { id, signal: controller.signal, partial: (partial) => post({ kind: 'partial', id, payload: partial }) });
      post({ kind: 'result', id, payload: answer.result }, answer.transfer ?? []);
    } catch (error) {
      post({ kind: 'failed', phase: 'request', id, code: errorCode(error, controller.signal.aborted ? 'cancelled' : 'request-failed'), message: errorMessage(error) });
    } finally {
      controllers.delete(id);
    }
  }

  scope.addEventListener('message', (event) => {
    const message = event.data as ToWorker<P>;
    switch (message.kind) {
      case 'load':
        loaded = load(message.payload);
        break;
      case 'request':
        void request(message.id, message.payload);
        break;
      case 'cancel':
        controllers.get(message.id)?.abort(new DOMException('The request was cancelled.', 'AbortError'));
        break;
      case 'stop':
        for (const controller of controllers.values()) controller.abort(new DOMException('The worker was stopped.', 'AbortError'));
        void Promise.resolve(handlers.stop?.())
          .catch(() => undefined)
          .finally(() => scope.close());
        break;
    }
  });

  return {
    emit: (event, transfer = []) => post({ kind: 'event', payload: event }, transfer),
    fail: (code, message, phase = 'run') => post({ kind: 'failed', phase, code, message }),
  };
}
