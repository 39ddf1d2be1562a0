import { describe, expect, it } from 'vitest';
import { fromPcm16, toPcm16 } from './pcm16';

describe('PCM16', () => {
  it('round-trips samples within one step of 16-bit audio, little-endian', () => {
    const samples = Float32Array.from([0, 0.5, -0.5, 1, -1, 0.001]);
    const buffer = toPcm16(samples);
    expect(new DataView(buffer).getInt16(2, true)).toBe(Math.round(0.5 * 0x7fff));
    const back = fromPcm16(buffer);
    back.forEach((sample, i) => expect(sample).toBeCloseTo(samples[i] as number, 4));
  });

  it('clips samples past full scale instead of wrapping them', () => {
    const back = fromPcm16(toPcm16(Float32Array.from([1.7, -3])));
    expect([...back]).toEqual([1, -1]);
  });

  it('drops half a sample at the end', () => {
    expect(fromPcm16(new Uint8Array([0, 64, 7]).buffer).length).toBe(1);
  });
});
