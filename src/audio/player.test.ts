import { afterEach, describe, expect, it, vi } from 'vitest';
import { FLUSH_BOUND_MS, Player } from './player';

/** The browser's audio objects, as far as the player uses them; the worklet answers only when told to. */
class FakePort {
  onmessage: ((event: MessageEvent) => void) | null = null;
  readonly sent: unknown[] = [];
  answers = true;
  postMessage(message: { kind: string }): void {
    this.sent.push(message);
    if (message.kind === 'flush' && this.answers) queueMicrotask(() => this.onmessage?.(new MessageEvent('message', { data: { kind: 'flushed', reports: [{ id: 1, played: 480, ended: false }] } })));
  }
}

class FakeNode {
  static last: FakeNode | null = null;
  readonly port = new FakePort();
  constructor() {
    FakeNode.last = this;
  }
  connect(): void {}
  disconnect(): void {}
}

class FakeContext {
  readonly sampleRate = 48_000;
  readonly state = 'running';
  readonly destination = {};
  readonly audioWorklet = { addModule: () => Promise.resolve() };
  onstatechange: (() => void) | null = null;
  resume(): Promise<void> {
    return Promise.resolve();
  }
  close(): Promise<void> {
    return Promise.resolve();
  }
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
});

describe('Player.flush', () => {
  it('resolves with what the worklet says played; a worklet that does not answer is not waited on past the bound', async () => {
    vi.stubGlobal('AudioContext', FakeContext);
    vi.stubGlobal('AudioWorkletNode', FakeNode);
    const player = await Player.create(() => undefined);
    await expect(player.flush()).resolves.toEqual([{ id: 1, played: 480, ended: false }]);

    vi.useFakeTimers();
    const port = FakeNode.last?.port;
    if (!port) throw new Error('no worklet node');
    port.answers = false;
    let settled: unknown = null;
    void player.flush().then((reports) => (settled = reports));
    await vi.advanceTimersByTimeAsync(FLUSH_BOUND_MS - 1);
    expect(settled).toBeNull();
    await vi.advanceTimersByTimeAsync(1);
    expect(settled).toEqual([]);
  });
});
