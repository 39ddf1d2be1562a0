/**
 * What the playback AudioWorklet plays: a queue of PCM chunks (already at the output rate), with
 * short fades where sound starts from or stops into silence (no clicks), `duck` (a quick ramp to
 * a lower volume while the user may be starting to speak), `flush` (ramped to silence within the
 * next render quantum, then the queue emptied), and per chunk the samples actually played, so the
 * app knows how much of the reply the user heard. Plain code, so it is tested without audio.
 */

export interface PlaybackChunk {
  readonly id: number;
  readonly samples: Float32Array;
}

export interface PlayedReport {
  readonly id: number;
  /** Samples of this chunk played so far. */
  readonly played: number;
  readonly ended: boolean;
}

/** Volume while ducked. */
export const DUCKED_GAIN = 0.2;

export class PlaybackQueue {
  private readonly queue: { chunk: PlaybackChunk; offset: number }[] = [];
  private gain = 1;
  private targetGain = 1;
  private readonly gainStep: number;
  /** Fade length where sound starts after silence or ends into it. */
  private readonly fadeSamples: number;
  private flushing = false;
  private silentBefore = true;

  constructor(sampleRate: number) {
    this.fadeSamples = Math.round(sampleRate * 0.005);
    // Ducking and unducking take about 10 ms.
    this.gainStep = 1 / Math.max(1, Math.round(sampleRate * 0.01));
  }

  enqueue(chunk: PlaybackChunk): void {
    this.queue.push({ chunk, offset: 0 });
  }

  duck(ducked: boolean): void {
    this.targetGain = ducked ? DUCKED_GAIN : 1;
  }

  /** Silence within the next quantum: it fades out over that quantum, then the queue is empty. Returns what each chunk had played. */
  flush(): PlayedReport[] {
    this.flushing = true;
    return this.queue.map(({ chunk, offset }) => ({ id: chunk.id, played: offset, ended: false }));
  }

  get idle(): boolean {
    return this.queue.length === 0;
  }

  /** Fills one render quantum; returns the chunks that played in it (and those that ended). */
  render(output: Float32Array): PlayedReport[] {
    // Each pass of the loop plays a different chunk (it ends, or the quantum is full).
    const reports: PlayedReport[] = [];
    const flushing = this.flushing;
    let index = 0;
    while (index < output.length) {
      const current = this.queue[0];
      if (!current) {
        output.fill(0, index);
        this.silentBefore = true;
        break;
      }
      const { chunk } = current;
      const remaining = chunk.samples.length - current.offset;
      const count = Math.min(remaining, output.length - index);
      const lastChunk = this.queue.length === 1;
      for (let i = 0; i < count; i++) {
        const position = current.offset + i;
        let envelope = 1;
        // Fade in when sound starts from silence; fade out when the last queued chunk ends.
        if (this.silentBefore && position < this.fadeSamples) envelope = position / this.fadeSamples;
        const toEnd = chunk.samples.length - position;
        if (lastChunk && toEnd <= this.fadeSamples) envelope = Math.min(envelope, toEnd / this.fadeSamples);
        if (flushing) envelope *= 1 - (index + i) / output.length;
        if (this.gain !== this.targetGain) {
          this.gain = this.gain < this.targetGain ? Math.min(this.targetGain, this.gain + this.gainStep) : Math.max(this.targetGain, this.gain - this.gainStep);
        }
        output[index + i] = (chunk.samples[position] as number) * envelope * this.gain;
      }
      current.offset += count;
      index += count;
      const ended = current.offset >= chunk.samples.length;
      reports.push({ id: chunk.id, played: current.offset, ended });
      if (ended) {
        this.queue.shift();
        this.silentBefore = false;
      }
    }
    if (flushing) {
      this.queue.length = 0;
      this.flushing = false;
      this.silentBefore = true;
    }
    return reports;
  }
}
