import { describe, expect, it } from 'vitest';
import { DUCKED_GAIN, PlaybackQueue } from './playbackQueue';

const RATE = 48_000;
const QUANTUM = 128;
const ones = (n: number) => new Float32Array(n).fill(1);

function renderQuanta(queue: PlaybackQueue, quanta: number): Float32Array {
  const all = new Float32Array(quanta * QUANTUM);
  for (let q = 0; q < quanta; q++) queue.render(all.subarray(q * QUANTUM, (q + 1) * QUANTUM));
  return all;
}

describe('PlaybackQueue', () => {
  it('plays chunks back to back, fading in from silence and out into it, and counts what was played', () => {
    const queue = new PlaybackQueue(RATE);
    queue.enqueue({ id: 1, samples: ones(1000) });
    queue.enqueue({ id: 2, samples: ones(1000) });
    const out = new Float32Array(QUANTUM);
    const first = queue.render(out);
    expect(out[0]).toBe(0);
    // 5 ms of fade-in: 240 samples at 48 kHz.
    expect(out[QUANTUM - 1]).toBeCloseTo((QUANTUM - 1) / 240, 5);
    expect(first).toEqual([{ id: 1, played: 128, ended: false }]);
    const rest = renderQuanta(queue, 16);
    // No dip where chunk 1 meets chunk 2.
    expect(Math.min(...rest.subarray(240 - QUANTUM, 2000 - QUANTUM - 300))).toBe(1);
    // The end fades to silence, then silence.
    expect(rest[2000 - QUANTUM - 1]).toBeLessThan(0.01);
    expect(rest[2000 - QUANTUM + 10]).toBe(0);
    expect(queue.idle).toBe(true);
  });

  it('ducks within about 10 ms and comes back', () => {
    const queue = new PlaybackQueue(RATE);
    queue.enqueue({ id: 1, samples: ones(48_000) });
    renderQuanta(queue, 4);
    queue.duck(true);
    const ducked = renderQuanta(queue, 8);
    expect(ducked[0]).toBeGreaterThan(0.9);
    expect(ducked[480]).toBeCloseTo(DUCKED_GAIN, 5);
    queue.duck(false);
    const back = renderQuanta(queue, 8);
    expect(back[600]).toBe(1);
  });

  it('flush: silent by the end of the next quantum, queue empty, and says how much of each chunk was played', () => {
    const queue = new PlaybackQueue(RATE);
    queue.enqueue({ id: 7, samples: ones(10_000) });
    queue.enqueue({ id: 8, samples: ones(10_000) });
    renderQuanta(queue, 10);
    expect(queue.flush()).toEqual([
      { id: 7, played: 1280, ended: false },
      { id: 8, played: 0, ended: false },
    ]);
    const out = new Float32Array(QUANTUM);
    queue.render(out);
    expect(out[0]).toBeCloseTo(1, 5);
    expect(out[QUANTUM - 1]).toBeLessThan(0.01);
    expect(queue.idle).toBe(true);
    expect(Math.max(...renderQuanta(queue, 2))).toBe(0);
  });
});
