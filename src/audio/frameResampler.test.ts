import { describe, expect, it } from 'vitest';
import { FrameResampler } from './frameResampler';

function sine(rate: number, frequency: number, seconds: number, amplitude = 0.5): Float32Array {
  const samples = new Float32Array(Math.round(rate * seconds));
  for (let i = 0; i < samples.length; i++) samples[i] = amplitude * Math.sin((2 * Math.PI * frequency * i) / rate);
  return samples;
}

/** Resamples in render-quantum-sized pieces, as an AudioWorklet sees its input. */
function resample(input: Float32Array, inputRate: number, outputRate = 16_000, frameSize = 512): { frames: Float32Array[]; joined: Float32Array } {
  const frames: Float32Array[] = [];
  const resampler = new FrameResampler(inputRate, outputRate, frameSize, (frame) => frames.push(frame));
  for (let offset = 0; offset < input.length; offset += 128) resampler.push(input.subarray(offset, offset + 128));
  const joined = new Float32Array(frames.length * frameSize);
  frames.forEach((frame, index) => joined.set(frame, index * frameSize));
  return { frames, joined };
}

const rms = (samples: Float32Array) => Math.sqrt(samples.reduce((sum, value) => sum + value * value, 0) / samples.length);

/** The frequency of a sine from its zero crossings (upward), precise to a fraction of a hertz over a second. */
function frequencyOf(samples: Float32Array, rate: number): number {
  const crossings: number[] = [];
  for (let i = 1; i < samples.length; i++) {
    const previous = samples[i - 1] as number;
    const current = samples[i] as number;
    if (previous < 0 && current >= 0) crossings.push(i - 1 + previous / (previous - current));
  }
  const first = crossings[0] as number;
  const last = crossings[crossings.length - 1] as number;
  return ((crossings.length - 1) * rate) / (last - first);
}

/** Amplitude of one frequency in a signal (a single-bin DFT). */
function amplitudeAt(samples: Float32Array, rate: number, frequency: number): number {
  let re = 0;
  let im = 0;
  for (let i = 0; i < samples.length; i++) {
    const phase = (2 * Math.PI * frequency * i) / rate;
    re += (samples[i] as number) * Math.cos(phase);
    im -= (samples[i] as number) * Math.sin(phase);
  }
  return (2 * Math.hypot(re, im)) / samples.length;
}

describe('FrameResampler', () => {
  it.each([44_100, 48_000, 22_050, 96_000, 16_000, 8_000])('keeps a sine’s frequency and level from %i Hz to 16 kHz', (rate) => {
    for (const frequency of [200, 1000, 3000]) {
      const { joined } = resample(sine(rate, frequency, 2), rate);
      const steady = joined.subarray(1600, joined.length - 1600);
      expect(frequencyOf(steady, 16_000)).toBeCloseTo(frequency, 0);
      expect(rms(steady) / (0.5 / Math.SQRT2)).toBeGreaterThan(0.98);
      expect(rms(steady) / (0.5 / Math.SQRT2)).toBeLessThan(1.02);
    }
  });

  it('keeps the band Whisper reads, to within 0.5 kHz of 8 kHz', () => {
    for (const rate of [44_100, 48_000]) {
      const { joined } = resample(sine(rate, 7500, 1), rate);
      expect(amplitudeAt(joined.subarray(1600, 14_400), 16_000, 7500)).toBeGreaterThan(0.45);
    }
  });

  it('removes content above the new Nyquist frequency instead of folding it into speech', () => {
    // A 12 kHz tone at 48 kHz would alias to 4 kHz at 16 kHz without the low-pass.
    const { joined } = resample(sine(48_000, 12_000, 1), 48_000);
    expect(amplitudeAt(joined.subarray(800), 16_000, 4000)).toBeLessThan(0.005);
    const { joined: cd } = resample(sine(44_100, 11_000, 1), 44_100);
    expect(amplitudeAt(cd.subarray(800), 16_000, 5000)).toBeLessThan(0.005);
  });

  it('hands out whole frames of the requested size, each a fresh array, in real time', () => {
    const { frames } = resample(sine(44_100, 440, 3), 44_100);
    expect(frames.every((frame) => frame.length === 512)).toBe(true);
    expect(new Set(frames).size).toBe(frames.length);
    // 3 s at 16 kHz is 93.75 frames; the filter's delay holds back a fraction of a millisecond.
    expect(frames.length).toBe(93);
  });

  it('delays the signal by under a millisecond', () => {
    const click = new Float32Array(48_000);
    click[24_000] = 1;
    const { joined } = resample(click, 48_000);
    let peak = 0;
    for (let i = 1; i < joined.length; i++) if (Math.abs(joined[i] as number) > Math.abs(joined[peak] as number)) peak = i;
    expect(Math.abs(peak - 8000)).toBeLessThanOrEqual(16);
  });

  it('rejects impossible rates', () => {
    expect(() => new FrameResampler(0, 16_000, 512, () => undefined)).toThrow(RangeError);
  });
});
