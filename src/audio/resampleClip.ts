/** A whole clip at another sample rate, with the capture path's band-limited resampler. */
import { FrameResampler } from './frameResampler';

export function resampleClip(samples: Float32Array, fromRate: number, toRate: number): Float32Array {
  if (fromRate === toRate) return samples;
  const length = Math.floor((samples.length * toRate) / fromRate);
  if (length === 0) return new Float32Array(0);
  let result: Float32Array | null = null;
  const resampler = new FrameResampler(fromRate, toRate, length, (frame) => (result ??= frame));
  resampler.push(samples);
  // Silence after the clip, so the last output samples have the input the kernel reaches into.
  for (let pad = 0; result === null && pad < 64; pad++) resampler.push(new Float32Array(256));
  return result ?? new Float32Array(length);
}
