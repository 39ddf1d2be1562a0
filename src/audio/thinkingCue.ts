/**
 * The thinking cue: a soft sound the playback worklet makes while the assistant has the turn but
 * nothing is audible, so the user knows they were heard. Two quiet rising notes every
 * CUE_PERIOD_S, each shaped by a raised cosine (no clicks); stopping fades out within 10 ms.
 * Generated sample by sample: no file to download. Plain code, tested without audio.
 */

/** Seconds between the starts of two pairs of notes. */
export const CUE_PERIOD_S = 1.6;
const NOTE_S = 0.12;
/** The second note starts this long after the first. */
const SECOND_NOTE_S = 0.16;
const NOTES_HZ = [523.25, 659.25];
/** Quiet: about -26 dBFS at its peak, under any reply. */
const AMPLITUDE = 0.05;
const RELEASE_S = 0.01;

export class ThinkingCue {
  private position = 0;
  private on = false;
  /** Samples left of the fade after `stop`. */
  private releasing = 0;
  private readonly period: number;
  private readonly note: number;
  private readonly secondNote: number;
  private readonly release: number;

  constructor(private readonly sampleRate: number) {
    this.period = Math.round(CUE_PERIOD_S * sampleRate);
    this.note = Math.round(NOTE_S * sampleRate);
    this.secondNote = Math.round(SECOND_NOTE_S * sampleRate);
    this.release = Math.max(1, Math.round(RELEASE_S * sampleRate));
  }

  /** Starts from the first note; stopping fades out what is sounding. */
  set(on: boolean): void {
    if (on === this.on) return;
    this.on = on;
    if (on) {
      this.position = 0;
      this.releasing = 0;
    } else {
      this.releasing = this.release;
    }
  }

  get sounding(): boolean {
    return this.on || this.releasing > 0;
  }

  /** Adds the cue to `output` from `from` on; returns how many samples it made sound. */
  render(output: Float32Array, from = 0): number {
    if (!this.sounding) return 0;
    let audible = 0;
    for (let i = from; i < output.length; i++) {
      let gain = 1;
      if (!this.on) {
        if (this.releasing === 0) break;
        gain = this.releasing / this.release;
        this.releasing--;
      }
      const value = this.sample(this.position % this.period) * gain;
      this.position++;
      output[i] = (output[i] ?? 0) + value;
      if (value !== 0) audible++;
    }
    return audible;
  }

  private sample(at: number): number {
    let value = 0;
    for (const [index, hz] of NOTES_HZ.entries()) {
      const local = at - index * this.secondNote;
      if (local < 0 || local >= this.note) continue;
      const envelope = 0.5 - 0.5 * Math.cos((2 * Math.PI * local) / this.note);
      value += AMPLITUDE * envelope * Math.sin((2 * Math.PI * hz * local) / this.sampleRate);
    }
    return value;
  }
}
