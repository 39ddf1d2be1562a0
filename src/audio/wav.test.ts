import { sharedModelFile } from '../sharedModels.testSupport';
import { describe, expect, it } from 'vitest';
import { decodeWav, encodeWav } from './wav';

describe('WAV', () => {
  it('encodes a 16 kHz mono PCM16 header and samples', () => {
    const bytes = encodeWav(Float32Array.from([0, 0.5, -0.5, 1, -1, 2]), 16_000);
    const view = new DataView(bytes.buffer);
    expect(new TextDecoder().decode(bytes.subarray(0, 4))).toBe('RIFF');
    expect(view.getUint32(4, true)).toBe(36 + 12);
    expect(new TextDecoder().decode(bytes.subarray(8, 16))).toBe('WAVEfmt ');
    expect([view.getUint16(20, true), view.getUint16(22, true), view.getUint32(24, true), view.getUint32(28, true), view.getUint16(32, true), view.getUint16(34, true)]).toEqual([1, 1, 16_000, 32_000, 2, 16]);
    expect(view.getUint32(40, true)).toBe(12);
    expect([0, 1, 2, 3, 4, 5].map((i) => view.getInt16(44 + 2 * i, true))).toEqual([0, 16384, -16384, 32767, -32768, 32767]);
  });

  it('decodes what it encodes', () => {
    const samples = Float32Array.from({ length: 1000 }, (_, i) => Math.sin(i / 10) * 0.8);
    const decoded = decodeWav(encodeWav(samples, 24_000));
    expect(decoded.sampleRate).toBe(24_000);
    decoded.samples.forEach((value, i) => expect(value).toBeCloseTo(samples[i] as number, 4));
  });

  it('decodes the test clips', () => {
    const { sampleRate, samples } = decodeWav(sharedModelFile('test-audio/moon.wav'));
    expect(sampleRate).toBe(16_000);
    expect(samples.length / sampleRate).toBeCloseTo(2.87, 1);
  });

  it('says what is wrong with a file it cannot read', () => {
    expect(() => decodeWav(new Uint8Array(10))).toThrow('Not a WAV file');
    const float = encodeWav(new Float32Array(4), 16_000);
    new DataView(float.buffer).setUint16(20, 3, true);
    expect(() => decodeWav(float)).toThrow('Only 16-bit PCM');
  });
});
