/**
 * Where speech starts and ends inside a segment, to the nearest 10 ms. Silero decides *that*
 * speech started or stopped a frame or three late (its probability rises after the first
 * phoneme and falls after the last); the audio's energy around those decisions says *where*.
 * Only the reported boundaries use this; turn-taking follows Silero alone, as the reference does.
 */

const WINDOW_SAMPLES = 160;
/** How far a boundary may move from Silero's decision. */
const MAX_SHIFT_WINDOWS = 20;
/** Speech is this far above the quietest 10 ms of the segment, and never below -60 dBFS. */
const ABOVE_FLOOR_DB = 12;
const MIN_LEVEL_DB = -60;

function windowLevels(audio: Float32Array): Float64Array {
  const levels = new Float64Array(Math.floor(audio.length / WINDOW_SAMPLES));
  for (let window = 0; window < levels.length; window++) {
    let energy = 0;
    for (let i = window * WINDOW_SAMPLES; i < (window + 1) * WINDOW_SAMPLES; i++) energy += (audio[i] as number) ** 2;
    levels[window] = 10 * Math.log10(energy / WINDOW_SAMPLES + 1e-12);
  }
  return levels;
}

/**
 * Refines Silero's start (`trigger`, the first sample of the frame that crossed thresh) and end
 * (`silence`, the first sample of the closing silence), both sample offsets into `audio`.
 */
export function refineSpeechBounds(audio: Float32Array, trigger: number, silence: number): { start: number; end: number } {
  const levels = windowLevels(audio);
  if (levels.length === 0) return { start: trigger, end: silence };
  const level = Math.max(Math.min(...levels) + ABOVE_FLOOR_DB, MIN_LEVEL_DB);
  // Without quiet and loud parts there is no edge to find.
  if (Math.max(...levels) <= level) return { start: trigger, end: silence };
  const loud = (window: number) => window >= 0 && window < levels.length && (levels[window] as number) > level;

  let start = Math.floor(trigger / WINDOW_SAMPLES);
  if (loud(start)) {
    const limit = start - MAX_SHIFT_WINDOWS;
    while (start > limit && loud(start - 1)) start--;
  } else {
    const limit = start + MAX_SHIFT_WINDOWS;
    while (start < limit && start < levels.length && !loud(start)) start++;
    if (!loud(start)) start = Math.floor(trigger / WINDOW_SAMPLES);
  }

  let end = Math.floor(silence / WINDOW_SAMPLES);
  if (!loud(end - 1)) {
    const limit = end - MAX_SHIFT_WINDOWS;
    while (end > limit && end - 1 > start && !loud(end - 1)) end--;
  } else {
    const limit = end + MAX_SHIFT_WINDOWS;
    while (end < limit && loud(end)) end++;
  }
  return { start: start * WINDOW_SAMPLES, end: end * WINDOW_SAMPLES };
}
