/**
 * How a stage that stopped after it was ready (its worker crashed, ran out of memory, stopped
 * answering, lost its GPU) comes back: started again by itself once, then only when the user
 * asks, so a stage that keeps failing does not loop. One that then runs for `settleMs` without
 * failing earns its automatic restart back.
 */
export class RestartPolicy {
  private lastAutomatic: number | null = null;

  constructor(
    private readonly settleMs = 5 * 60_000,
    private readonly now: () => number = () => Date.now(),
  ) {}

  /** The stage stopped: whether it starts again now by itself (else the page offers a button). */
  restartsByItself(): boolean {
    const now = this.now();
    if (this.lastAutomatic !== null && now - this.lastAutomatic < this.settleMs) return false;
    this.lastAutomatic = now;
    return true;
  }
}
