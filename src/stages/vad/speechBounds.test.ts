import { describe, expect, it } from 'vitest';
import { refineSpeechBounds } from './speechBounds';

/** Silence, then a tone from `from` to `to` (in samples), then silence, with faint noise throughout. */
function toneBurst(length: number, from: number, to: number): Float32Array {
  let seed = 7;
  return Float32Array.from({ length }, (_, i) => {
    seed = (seed * 16_807) % 2_147_483_647;
    const noise = (seed / 2_147_483_647 - 0.5) * 0.0005;
    return noise + (i >= from && i < to ? 0.3 * Math.sin(i / 5) : 0);
  });
}

describe('refineSpeechBounds', () => {
  it('moves a late start back to where the sound begins', () => {
    const audio = toneBurst(32_000, 4960, 20_000);
    expect(refineSpeechBounds(audio, 6144, 20_480).start).toBe(4960);
  });

  it('moves an early start forward within the trigger frame', () => {
    const audio = toneBurst(32_000, 4800, 20_000);
    expect(refineSpeechBounds(audio, 4608, 20_480).start).toBe(4800);
  });

  it('moves a late end back to where the sound stops, and an early one forward', () => {
    expect(refineSpeechBounds(toneBurst(32_000, 4800, 19_200), 4800, 20_480).end).toBe(19_200);
    expect(refineSpeechBounds(toneBurst(32_000, 4800, 20_800), 4800, 20_480).end).toBe(20_800);
  });

  it('moves a boundary by at most 200 ms', () => {
    const audio = toneBurst(64_000, 1600, 40_000);
    expect(refineSpeechBounds(audio, 16_000, 40_000).start).toBe(16_000 - 3200);
  });

  it('leaves the boundaries where they are in audio without a clear onset', () => {
    const flat = new Float32Array(16_000).fill(0.2);
    expect(refineSpeechBounds(flat, 4800, 12_800)).toEqual({ start: 4800, end: 12_800 });
    expect(refineSpeechBounds(new Float32Array(100), 0, 50)).toEqual({ start: 0, end: 50 });
  });
});
