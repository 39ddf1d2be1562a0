import { describe, expect, it } from 'vitest';
import { CUE_PERIOD_S, ThinkingCue } from './thinkingCue';

const RATE = 48_000;

function render(cue: ThinkingCue, samples: number): { output: Float32Array; audible: number } {
  const output = new Float32Array(samples);
  let audible = 0;
  for (let offset = 0; offset < samples; offset += 128) audible += cue.render(output.subarray(offset, Math.min(samples, offset + 128)));
  return { output, audible };
}

describe('ThinkingCue', () => {
  it('is silent until switched on, then sounds softly at the start of each period, without clicks', () => {
    const cue = new ThinkingCue(RATE);
    expect(render(cue, 4800).audible).toBe(0);
    cue.set(true);
    const { output, audible } = render(cue, Math.round(CUE_PERIOD_S * RATE) + 4800);
    expect(audible).toBeGreaterThan(0.2 * RATE);
    const peak = Math.max(...output.map(Math.abs));
    expect(peak).toBeGreaterThan(0.02);
    expect(peak).toBeLessThan(0.1);
    // Starts from nothing, and the gap between the pairs of notes is silent.
    expect(Math.abs(output[0] ?? 1)).toBeLessThan(1e-6);
    expect(Math.max(...output.subarray(Math.round(0.5 * RATE), Math.round(1.5 * RATE)).map(Math.abs))).toBe(0);
    // The next period starts over.
    expect(Math.max(...output.subarray(Math.round(CUE_PERIOD_S * RATE), Math.round(CUE_PERIOD_S * RATE) + 4800).map(Math.abs))).toBeGreaterThan(0.01);
  });

  it('stopping fades out within 10 ms, then it is silent', () => {
    const cue = new ThinkingCue(RATE);
    cue.set(true);
    render(cue, 2400);
    cue.set(false);
    expect(cue.sounding).toBe(true);
    const { output } = render(cue, 2400);
    expect(Math.max(...output.subarray(480).map(Math.abs))).toBe(0);
    expect(cue.sounding).toBe(false);
  });
});
