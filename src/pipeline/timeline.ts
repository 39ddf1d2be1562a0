/**
 * Moments of a turn on the page's clock, as User Timing marks (`s2s:<moment>`, with the turn or
 * exchange in `detail`): the browser's performance tools show them, and the benchmark reads them.
 */
export type Moment = 'turn-ended' | 'transcript' | 'released' | 'first-text' | 'first-batch' | 'first-synthesized' | 'first-audio' | 'duck' | 'barge-in' | 'silent';

export function markMoment(moment: Moment, id: number | null = null): void {
  performance.mark(`s2s:${moment}`, { detail: { id } });
}
