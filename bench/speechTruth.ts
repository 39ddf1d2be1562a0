/** Where speech really is in a clip: from its waveform, not from any VAD. */

export interface Span {
  startMs: number;
  endMs: number;
}

/** 10 ms windows above -50 dBFS, joined across gaps under 300 ms (16 kHz audio). */
export function speechSpans(samples: Float32Array): Span[] {
  const spans: Span[] = [];
  const window = 160;
  for (let offset = 0; offset + window <= samples.length; offset += window) {
    let energy = 0;
    for (let i = offset; i < offset + window; i++) energy += (samples[i] as number) ** 2;
    if (10 * Math.log10(energy / window + 1e-12) <= -50) continue;
    const startMs = offset / 16;
    const last = spans.at(-1);
    if (last && startMs - last.endMs < 300) last.endMs = startMs + 10;
    else spans.push({ startMs, endMs: startMs + 10 });
  }
  return spans;
}
