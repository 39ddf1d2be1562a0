/**
 * Which transcription runs next, and which results still matter. One inference at a time per
 * model; finals go first; only the newest partial waits (older ones are dropped unrun); a turn's
 * final makes its waiting partials stale; a newer revision of a turn makes the older one stale, as
 * the reference drops superseded revisions at STT.
 */

export interface TranscriptionJob {
  readonly id: number;
  readonly turn: number;
  readonly revision: number;
  readonly mode: 'partial' | 'final';
}

/**
 * Which transcriptions are still news: not of a revision older than the turn's newest, and not a
 * partial of a turn whose final was already asked for.
 */
type TurnRef = Pick<TranscriptionJob, 'turn' | 'revision' | 'mode'>;

export class TurnRevisions {
  private readonly latest = new Map<number, number>();
  private readonly finalized = new Map<number, number>();

  /** Notes a new job; false when it is already stale. */
  note(job: TurnRef): boolean {
    if (this.isStale(job)) return false;
    this.latest.set(job.turn, job.revision);
    if (job.mode === 'final') this.finalized.set(job.turn, job.revision);
    return true;
  }

  /** A newer revision of the turn was asked for. */
  isSuperseded(job: TurnRef): boolean {
    return job.revision < (this.latest.get(job.turn) ?? -1);
  }

  isStale(job: TurnRef): boolean {
    if (this.isSuperseded(job)) return true;
    const final = this.finalized.get(job.turn);
    // Once a turn's final is asked for, its partials are no longer news.
    return job.mode === 'partial' && final !== undefined && final >= job.revision;
  }
}

export class TranscriptionQueue<J extends TranscriptionJob> {
  private finals: J[] = [];
  private partial: J | null = null;
  private running: J | null = null;
  private readonly revisions = new TurnRevisions();

  /** Queues a job; returns the jobs it made stale without running them. */
  submit(job: J): J[] {
    if (!this.revisions.note(job)) return [job];
    const dropped: J[] = [];
    if (job.mode === 'final') {
      this.finals = this.finals.filter((queued) => {
        const stale = queued.turn === job.turn && queued.revision < job.revision;
        if (stale) dropped.push(queued);
        return !stale;
      });
      this.finals.push(job);
      if (this.partial && this.partial.turn === job.turn) {
        dropped.push(this.partial);
        this.partial = null;
      }
    } else {
      if (this.partial) dropped.push(this.partial);
      this.partial = job;
    }
    return dropped;
  }

  /** The next job to run, if nothing is running. */
  next(): J | undefined {
    if (this.running) return undefined;
    const job = this.finals.shift() ?? this.partial ?? undefined;
    if (job === this.partial) this.partial = null;
    this.running = job ?? null;
    return job;
  }

  /**
   * The running job finished: whether its result should still be delivered. A partial that was
   * running when its turn's final was asked for is (its decoding is cut short, its encoder pass
   * already paid): on a slow machine it is the only preview of the words before the final, which
   * runs next and replaces it.
   */
  finish(job: J): boolean {
    if (this.running === job) this.running = null;
    return job.mode === 'partial' ? !this.revisions.isSuperseded(job) : !this.revisions.isStale(job);
  }

  /** Whether this job is the one running. */
  isRunning(job: J): boolean {
    return this.running === job;
  }

  get busy(): boolean {
    return this.running !== null;
  }
}
