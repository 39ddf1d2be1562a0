/**
 * Moments of a turn on the page's clock, as User Timing marks (`s2s:<moment>`, with the turn or
 * exchange in `detail`): the browser's performance tools show them, and the benchmark reads them.
 */
export type Moment = 'turn-ended' | 'transcript' | 'request' | 'released' | 'first-text' | 'first-batch' | 'first-synthesized' | 'first-audio' | 'duck' | 'confirmed' | 'barge-in' | 'silent' | 'resumed';

const MOMENTS: readonly Moment[] = ['turn-ended', 'transcript', 'request', 'released', 'first-text', 'first-batch', 'first-synthesized', 'first-audio', 'duck', 'confirmed', 'barge-in', 'silent', 'resumed'];
/** Marks kept at most: the browser keeps every mark until it is cleared. */
const KEPT_MARKS = 400;
let marks = 0;

export function markMoment(moment: Moment, id: number | null = null): void {
  // A long session's marks are cleared now and then (the newest turns' are what anyone reads).
  if (++marks > KEPT_MARKS && moment === 'turn-ended') {
    for (const name of MOMENTS) performance.clearMarks(`s2s:${name}`);
    marks = 1;
  }
  performance.mark(`s2s:${moment}`, { detail: { id } });
}
