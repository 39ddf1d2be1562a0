/** PCM16 (little-endian, mono), the Realtime protocol's audio, to and from the page's float samples. */

/** Float samples in [-1, 1] as PCM16 bytes; louder samples are clipped, not wrapped. */
export function toPcm16(samples: Float32Array): ArrayBuffer {
  const buffer = new ArrayBuffer(samples.length * 2);
  const view = new DataView(buffer);
  for (let i = 0; i < samples.length; i++) {
    const sample = Math.max(-1, Math.min(1, samples[i] as number));
    view.setInt16(i * 2, Math.round(sample < 0 ? sample * 0x8000 : sample * 0x7fff), true);
  }
  return buffer;
}

/** PCM16 bytes as float samples; an odd last byte (half a sample) is dropped. */
export function fromPcm16(buffer: ArrayBuffer): Float32Array {
  const view = new DataView(buffer);
  const samples = new Float32Array(buffer.byteLength >> 1);
  for (let i = 0; i < samples.length; i++) {
    const sample = view.getInt16(i * 2, true);
    samples[i] = sample < 0 ? sample / 0x8000 : sample / 0x7fff;
  }
  return samples;
}
