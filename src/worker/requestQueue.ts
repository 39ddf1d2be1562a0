/**
 * Runs a worker's requests one at a time, in the order they came: the language model and the
 * voice each have one engine. A request cancelled while it waits is dropped without running (its
 * promise rejects at once); one cancelled while it runs sees its signal abort, and the next
 * starts as soon as it returns.
 */
import { abortReason } from './stageError';

export class RequestQueue {
  private readonly waiting: (() => void)[] = [];
  private busy = false;

  async run<T>(signal: AbortSignal, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
    if (this.busy) await this.turn(signal);
    else this.busy = true;
    try {
      if (signal.aborted) throw abortReason(signal);
      return await task(signal);
    } finally {
      // The queue is handed straight to the next request, so nothing can slip in between.
      const next = this.waiting.shift();
      if (next) next();
      else this.busy = false;
    }
  }

  /** Waits until the request before this one is done; rejects at once when cancelled meanwhile. */
  private turn(signal: AbortSignal): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      const start = () => {
        signal.removeEventListener('abort', cancel);
        resolve();
      };
      const cancel = () => {
        this.waiting.splice(this.waiting.indexOf(start), 1);
        reject(abortReason(signal));
      };
      if (signal.aborted) {
        reject(abortReason(signal));
        return;
      }
      signal.addEventListener('abort', cancel, { once: true });
      this.waiting.push(start);
    });
  }
}
