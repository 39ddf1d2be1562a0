import { describe, expect, it } from 'vitest';
import { PARTIAL_SETTLE_BOUND_MS, PartialScheduler, type SchedulerClock } from './partialScheduler';
import type { Transcriber, TurnAudio } from './transcriber';

/** A clock the test moves by hand. */
class FakeClock implements SchedulerClock {
  time = 0;
  private timers: { at: number; run: () => void }[] = [];
  now(): number {
    return this.time;
  }
  after(ms: number, run: () => void): () => void {
    const timer = { at: this.time + ms, run };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((other) => other !== timer);
    };
  }
  advance(ms: number): void {
    const until = this.time + ms;
    for (;;) {
      const due = this.timers.filter((timer) => timer.at <= until).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((timer) => timer !== due);
      this.time = due.at;
      due.run();
    }
    this.time = until;
  }
}

/** Speech to text that records what it was sent, when. */
class RecordingTranscriber implements Transcriber {
  readonly sent: { at: number; mode: string; turn: number; revision: number; audioMs: number }[] = [];
  onSent: (audio: TurnAudio) => void = () => {};
  constructor(private readonly clock: FakeClock) {}
  transcribe(audio: TurnAudio): void {
    this.sent.push({ at: this.clock.time, mode: audio.mode, turn: audio.turn, revision: audio.revision, audioMs: audio.audio.length / 16 });
    this.onSent(audio);
  }
  dispose(): void {}
}

const partial = (turn: number, ms: number): TurnAudio => ({ turn, revision: 0, mode: 'partial', audio: new Float32Array(ms * 16) });
const final = (turn: number, ms: number): TurnAudio => ({ turn, revision: 0, mode: 'final', audio: new Float32Array(ms * 16) });

/**
 * Speech from 0 ms: the listener offers a partial every 500 ms (the default interval), and each
 * partial that runs costs `costMs`, reported when it would finish.
 */
function speak(costMs: number, speechMs: number) {
  const clock = new FakeClock();
  const transcriber = new RecordingTranscriber(clock);
  const scheduler = new PartialScheduler(transcriber, clock);
  transcriber.onSent = (audio) => {
    if (audio.mode === 'partial') clock.after(costMs, () => scheduler.partialSettled(costMs));
  };
  scheduler.voiceActivity(true);
  for (let at = 500; at <= speechMs; at += 500) {
    clock.advance(at - clock.time);
    scheduler.submit(partial(1, at));
  }
  return { clock, transcriber, scheduler };
}

describe('PartialScheduler', () => {
  it('on a fast machine sends every partial the listener offers', () => {
    const { transcriber } = speak(100, 4000);
    expect(transcriber.sent.map((sent) => sent.at)).toEqual([500, 1000, 1500, 2000, 2500, 3000, 3500, 4000]);
  });

  it('on a slow machine keeps partials to half the transcriber’s time, with the newest audio', () => {
    const { transcriber, clock } = speak(1500, 9000);
    clock.advance(5000);
    const starts = transcriber.sent.map((sent) => sent.at);
    // 1.5 s a pass: one partial every 3 s at most, never two closer together.
    for (let index = 1; index < starts.length; index++) expect((starts[index] ?? 0) - (starts[index - 1] ?? 0)).toBeGreaterThanOrEqual(3000);
    expect(starts.length).toBeGreaterThanOrEqual(3);
    // Each is the newest snapshot at the moment it goes, not one offered long before.
    for (const sent of transcriber.sent) expect(sent.at - sent.audioMs).toBeLessThanOrEqual(500);
  });

  it('starts no partial once the voice activity drops under thresh, and drops the one waiting', () => {
    const { transcriber, scheduler, clock } = speak(1500, 1000);
    expect(transcriber.sent.map((sent) => sent.at)).toEqual([500]);
    // The 1000 ms partial waits for its moment (3500 ms); the speech ends first.
    scheduler.voiceActivity(false);
    clock.advance(5000);
    expect(transcriber.sent).toHaveLength(1);
    // Offered while under thresh, a partial waits for speech again.
    scheduler.submit(partial(1, 6000));
    clock.advance(1000);
    expect(transcriber.sent).toHaveLength(1);
    scheduler.voiceActivity(true);
    expect(transcriber.sent.map((sent) => sent.audioMs)).toEqual([500, 6000]);
  });

  it('sends a final at once, ahead of its turn’s partial still waiting, which is never sent', () => {
    const { transcriber, scheduler, clock } = speak(1500, 1000);
    scheduler.submit(final(1, 1200));
    clock.advance(10_000);
    expect(transcriber.sent.map((sent) => `${sent.mode}@${sent.at}`)).toEqual(['partial@500', 'final@1000']);
  });

  it('sends a final while a partial runs (the transcriber runs finals first) and keeps partials of the next turn', () => {
    const { transcriber, scheduler, clock } = speak(1500, 500);
    clock.advance(200);
    scheduler.submit(final(1, 700));
    expect(transcriber.sent.map((sent) => `${sent.mode}@${sent.at}`)).toEqual(['partial@500', 'final@700']);
    // The next turn's partials follow the cadence measured so far.
    clock.advance(3000);
    scheduler.submit(partial(2, 500));
    expect(transcriber.sent.at(-1)).toMatchObject({ mode: 'partial', turn: 2, at: 3700 });
  });

  it('sends no partial while one is out, and goes on after one that never comes back', () => {
    const clock = new FakeClock();
    const transcriber = new RecordingTranscriber(clock);
    const scheduler = new PartialScheduler(transcriber, clock);
    scheduler.voiceActivity(true);
    scheduler.submit(partial(1, 500));
    clock.advance(500);
    scheduler.submit(partial(1, 1000));
    clock.advance(500);
    expect(transcriber.sent).toHaveLength(1);
    // A dropped partial has no cost: the next goes at once.
    scheduler.partialSettled(null);
    expect(transcriber.sent.map((sent) => sent.audioMs)).toEqual([500, 1000]);
    // Lost without a word: the bound frees the next.
    scheduler.submit(partial(1, 1500));
    clock.advance(PARTIAL_SETTLE_BOUND_MS - 1);
    expect(transcriber.sent).toHaveLength(2);
    clock.advance(1);
    expect(transcriber.sent.map((sent) => sent.audioMs)).toEqual([500, 1000, 1500]);
  });
});
