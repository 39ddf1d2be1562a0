/**
 * Turns microphone audio at whatever rate the device runs (44.1 kHz, 48 kHz, ...) into 16 kHz
 * frames of a fixed size for the VAD. It runs inside the capture AudioWorklet, so it is
 * streaming, allocation-free per sample, and keeps state between render quanta.
 *
 * Band-limited interpolation with a Blackman-windowed sinc: the kernel is widened when
 * downsampling so it also low-passes below the new Nyquist frequency (no aliasing of 8-24 kHz
 * content into the speech band, which plain linear interpolation would let through).
 */

/** Zero crossings of the sinc on each side, at the output rate. More is sharper and costlier. */
const ZERO_CROSSINGS = 32;
/**
 * The pass band ends just below the output Nyquist frequency. Whisper's mel filters reach 8 kHz:
 * a pass band ending at 7.4 kHz (0.92) was enough to turn "Set a timer" into "Santa timer".
 */
const ROLLOFF = 0.98;
/** Kernel table points per input sample; values between are interpolated linearly. */
const TABLE_RESOLUTION = 64;

export class FrameResampler {
  private readonly step: number;
  private readonly halfWidth: number;
  private readonly table: Float32Array;
  private readonly tableScale: number;
  private buffer: Float32Array;
  private length: number;
  /** Input position of the next output sample, relative to buffer[0]. */
  private time: number;
  private frame: Float32Array;
  private filled = 0;

  constructor(
    inputRate: number,
    outputRate: number,
    private readonly frameSize: number,
    private readonly onFrame: (frame: Float32Array) => void,
  ) {
    if (!(inputRate > 0 && outputRate > 0)) throw new RangeError(`Sample rates must be positive (got ${inputRate} and ${outputRate}).`);
    this.step = inputRate / outputRate;
    // Cutoff in cycles per input sample, times 2 (so sinc(cutoff * x) has its first zero at 1 / cutoff).
    const cutoff = Math.min(1, outputRate / inputRate) * ROLLOFF;
    this.halfWidth = ZERO_CROSSINGS / cutoff;
    const points = Math.ceil(this.halfWidth * TABLE_RESOLUTION) + 2;
    this.table = new Float32Array(points);
    for (let i = 0; i < points; i++) {
      const x = i / TABLE_RESOLUTION;
      if (x >= this.halfWidth) continue;
      const argument = Math.PI * cutoff * x;
      const sinc = x === 0 ? 1 : Math.sin(argument) / argument;
      const window = 0.42 + 0.5 * Math.cos((Math.PI * x) / this.halfWidth) + 0.08 * Math.cos((2 * Math.PI * x) / this.halfWidth);
      this.table[i] = cutoff * sinc * window;
    }
    this.tableScale = TABLE_RESOLUTION;
    // Silence before the first sample, so the first outputs have the history the kernel needs.
    const history = Math.ceil(this.halfWidth);
    this.buffer = new Float32Array(Math.max(4096, history * 4));
    this.length = history;
    this.time = history;
    this.frame = new Float32Array(frameSize);
  }

  /** Feeds input samples; calls `onFrame` with each completed output frame (a new array each time, safe to transfer). */
  push(input: Float32Array): void {
    this.ensureRoom(input.length);
    this.buffer.set(input, this.length);
    this.length += input.length;

    const { buffer, table, tableScale, halfWidth, step } = this;
    const lastIndex = table.length - 2;
    while (this.time + halfWidth < this.length) {
      const center = this.time;
      const first = Math.ceil(center - halfWidth);
      const last = Math.floor(center + halfWidth);
      let sum = 0;
      for (let i = first; i <= last; i++) {
        const position = Math.abs(center - i) * tableScale;
        const index = position | 0;
        if (index > lastIndex) continue;
        const fraction = position - index;
        const weight = (table[index] as number) + ((table[index + 1] as number) - (table[index] as number)) * fraction;
        sum += (buffer[i] as number) * weight;
      }
      this.frame[this.filled++] = sum;
      if (this.filled === this.frameSize) {
        const done = this.frame;
        this.frame = new Float32Array(this.frameSize);
        this.filled = 0;
        this.onFrame(done);
      }
      this.time += step;
    }
    this.discardConsumed();
  }

  private ensureRoom(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    const grown = new Float32Array(Math.max(this.buffer.length * 2, this.length + extra));
    grown.set(this.buffer.subarray(0, this.length));
    this.buffer = grown;
  }

  /** Drops input that no future output sample needs. */
  private discardConsumed(): void {
    const keepFrom = Math.floor(this.time - this.halfWidth);
    if (keepFrom <= 0) return;
    this.buffer.copyWithin(0, keepFrom, this.length);
    this.length -= keepFrom;
    this.time -= keepFrom;
  }
}
