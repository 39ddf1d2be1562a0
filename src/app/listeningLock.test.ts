import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebListeningLock } from './listeningLock';

type Callback = (lock: Lock | null) => unknown;

/**
 * The browser's lock manager, as far as the lock uses it: one exclusive lock shared by the "tabs"
 * (locks) of a test; a released lock is free only a task later, as in a browser.
 */
class Locks {
  private holder: { reject: (error: Error) => void } | null = null;

  request(name: string, options: LockOptions, callback: Callback): Promise<unknown> {
    return new Promise((resolve, reject) => {
      if (this.holder && !options.steal) {
        resolve(callback(null));
        return;
      }
      if (this.holder) this.holder.reject(new DOMException('stolen', 'AbortError'));
      const holder = { reject };
      this.holder = holder;
      void Promise.resolve(callback({ name, mode: 'exclusive' })).then((value) =>
        setTimeout(() => {
          if (this.holder === holder) this.holder = null;
          resolve(value);
        }, 0),
      );
    });
  }
}

afterEach(() => vi.unstubAllGlobals());

describe('WebListeningLock', () => {
  it('is held by one tab; another is told, and takes over when asked, and the first hears it', async () => {
    vi.stubGlobal('navigator', { locks: new Locks() });
    const first = new WebListeningLock();
    const second = new WebListeningLock();
    const lost: string[] = [];
    expect(await first.acquire(() => lost.push('first'), false)).toBe(true);
    expect(await second.acquire(() => lost.push('second'), false)).toBe(false);
    expect(await second.acquire(() => lost.push('second'), true)).toBe(true);
    await vi.waitFor(() => expect(lost).toEqual(['first']));
  });

  it('is held again at once after a release in the same tab (Stop then Start)', async () => {
    vi.stubGlobal('navigator', { locks: new Locks() });
    const lock = new WebListeningLock();
    expect(await lock.acquire(() => undefined, false)).toBe(true);
    lock.release();
    expect(await lock.acquire(() => undefined, false)).toBe(true);
    // And another tab cannot have it meanwhile.
    expect(await new WebListeningLock().acquire(() => undefined, false)).toBe(false);
  });
});
