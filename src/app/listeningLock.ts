/**
 * One listening tab at a time. Two tabs of the page that both listen would both hear and both
 * answer every utterance, with the models in memory twice. A tab holds a Web Lock while it
 * listens; another tab that starts is told which tab listens (since when) and may take over: it
 * steals the lock, and the first tab, whose lock request then rejects, stops listening and says
 * where listening went. Without Web Locks (an old browser) every tab may listen.
 */

/** The lock as the session uses it (a test shares one between two sessions). */
export interface ListeningLock {
  /**
   * Holds the lock for this tab: true once held, false when another tab holds it (unless
   * `takeOver`). `onLost` hears that another tab took it over afterwards.
   */
  acquire(onLost: () => void, takeOver: boolean): Promise<boolean>;
  /** Lets the lock go (listening stopped here). */
  release(): void;
  /** Which tab holds it, in words, for the one that may not: "since 10:32". */
  holder(): string;
}

const LOCK_NAME = 'speech-to-speech:listening';
const SINCE_KEY = 'speech-to-speech:listening-since';

export class WebListeningLock implements ListeningLock {
  private releaseHeld: (() => void) | null = null;
  /** A request not answered yet: the next one waits for it (a quick Stop and Start). */
  private pending: Promise<boolean> | null = null;
  /** Settles once the last lock this tab held is really let go (the browser releases it later than `release`). */
  private released: Promise<unknown> = Promise.resolve();

  async acquire(onLost: () => void, takeOver: boolean): Promise<boolean> {
    const locks = typeof navigator === 'undefined' ? undefined : navigator.locks;
    if (!locks) return true;
    while (this.pending) await this.pending;
    if (this.releaseHeld) return true;
    // A Stop then Start in one click: the lock just released may still be held for a moment, and
    // asking for it then would read as another tab listening.
    await this.released;
    this.pending = this.request(locks, onLost, takeOver).finally(() => (this.pending = null));
    return this.pending;
  }

  private request(locks: LockManager, onLost: () => void, takeOver: boolean): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      this.released = locks
        .request(LOCK_NAME, takeOver ? { steal: true } : { ifAvailable: true }, (lock) => {
          if (!lock) {
            resolve(false);
            return undefined;
          }
          try {
            localStorage.setItem(SINCE_KEY, String(Date.now()));
          } catch {
            // Only the notice in the other tab reads it.
          }
          resolve(true);
          // Held until released here, or stolen by another tab.
          return new Promise<void>((done) => (this.releaseHeld = done));
        })
        .catch(() => {
          // Stolen: another tab took over listening.
          if (!this.releaseHeld) return;
          this.releaseHeld = null;
          onLost();
        });
    });
  }

  release(): void {
    this.releaseHeld?.();
    this.releaseHeld = null;
  }

  holder(): string {
    let since: number | null;
    try {
      since = Number(localStorage.getItem(SINCE_KEY)) || null;
    } catch {
      since = null;
    }
    return since === null ? 'Another tab of this page is listening.' : `Another tab of this page has been listening since ${new Date(since).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' })}.`;
  }
}
