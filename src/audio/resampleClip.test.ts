import { describe, expect, it } from 'vitest';
import { resampleClip } from './resampleClip';

describe('resampleClip', () => {
  it('keeps a tone at its frequency and length from 24 kHz to 48 kHz and 44.1 kHz', () => {
    const tone = Float32Array.from({ length: 24_000 }, (_, i) => Math.sin((2 * Math.PI * 440 * i) / 24_000) * 0.5);
    for (const rate of [48_000, 44_100]) {
      const out = resampleClip(tone, 24_000, rate);
      expect(out.length).toBe(rate);
      // Away from the edges, each sample matches the tone at the new rate.
      let worst = 0;
      for (let i = 1000; i < out.length - 1000; i++) worst = Math.max(worst, Math.abs((out[i] as number) - Math.sin((2 * Math.PI * 440 * i) / rate) * 0.5));
      expect(worst).toBeLessThan(0.01);
    }
  });

  it('returns the clip itself at the same rate', () => {
    const clip = new Float32Array(10);
    expect(resampleClip(clip, 24_000, 24_000)).toBe(clip);
  });
});
