import { describe, expect, it } from 'vitest';
import type { PlayedReport } from '../audio/playbackQueue';
import type { SpeechSynthesizer } from '../stages/tts';
import { ReplySpeech, type Speakers } from './replySpeech';

/** Speech of 1000 samples per word, after a tick; "fail" cannot be said. */
const tts: SpeechSynthesizer & { spoken: string[] } = {
  spoken: [],
  async speak(text, signal) {
    await new Promise((resolve) => setTimeout(resolve, 1));
    signal.throwIfAborted();
    if (text.includes('fail')) throw new Error('cannot say that');
    this.spoken.push(text);
    return new Float32Array(text.split(' ').length * 1000);
  },
};

/** Speakers that play what the test says they played. */
function speakers() {
  const queue: { id: number; length: number; played: number }[] = [];
  const fake: Speakers & { queue: typeof queue; flushes: number } = {
    queue,
    flushes: 0,
    play(id, samples) {
      queue.push({ id, length: samples.length, played: 0 });
    },
    flush() {
      fake.flushes++;
      const reports: PlayedReport[] = queue.filter((chunk) => chunk.played < chunk.length).map((chunk) => ({ id: chunk.id, played: chunk.played, ended: false }));
      queue.length = 0;
      return Promise.resolve(reports);
    },
  };
  return fake;
}

/** Plays `samples` more of the queue, reporting as the worklet does. */
function advance(reply: ReplySpeech, out: ReturnType<typeof speakers>, samples: number): void {
  let left = samples;
  for (const chunk of out.queue) {
    if (left === 0) break;
    const step = Math.min(left, chunk.length - chunk.played);
    if (step === 0) continue;
    chunk.played += step;
    left -= step;
    reply.onPlayed({ id: chunk.id, played: chunk.played, ended: chunk.played === chunk.length });
  }
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 20));

describe('ReplySpeech', () => {
  it('while a tool runs, once the words before it have played, it is not audible (the cue may sound); it is again once the reply goes on', async () => {
    const out = speakers();
    let changes = 0;
    const reply = new ReplySpeech(tts, out, { onAudibleChanged: () => changes++ });
    reply.release();
    reply.say('Let me check.');
    await settle();
    reply.waitForTool(true);
    // The words before the call still play.
    expect(reply.audible).toBe(true);
    advance(reply, out, 3000);
    expect(reply.audible).toBe(false);
    expect(changes).toBe(2);
    reply.waitForTool(false);
    reply.say('It is noon.');
    await settle();
    expect(reply.audible).toBe(true);
    expect(reply.heardText()).toBe('Let me check.');
  });

  it('synthesises at once but plays only once released, in order, then is done', async () => {
    const out = speakers();
    const events: string[] = [];
    const reply = new ReplySpeech(tts, out, { onPlaying: () => events.push('playing'), onDone: () => events.push('done') });
    reply.say('One two three.');
    reply.say('Four five.');
    await settle();
    expect(out.queue).toEqual([]);
    reply.release();
    expect(out.queue.map((chunk) => chunk.length)).toEqual([3000, 2000]);
    reply.finish();
    advance(reply, out, 5000);
    expect(events).toEqual(['playing', 'done']);
    expect(reply.heardText()).toBe('One two three. Four five.');
  });

  it('user interrupts after "two": playback flushed, synthesis stopped, only the words heard are kept', async () => {
    const out = speakers();
    const reply = new ReplySpeech(tts, out);
    reply.release();
    reply.say('One two three.');
    reply.say('Four five.');
    reply.say('Six seven.');
    await settle();
    advance(reply, out, 2100);
    const heard = await reply.stop();
    expect(out.flushes).toBe(1);
    expect(heard).toBe('One two');
    reply.say('Eight.');
    await settle();
    expect(out.queue).toEqual([]);
  });

  it('a batch that cannot be synthesised is skipped with a message; the rest plays', async () => {
    const out = speakers();
    const errors: string[] = [];
    let done = false;
    const reply = new ReplySpeech(tts, out, { onError: (message) => errors.push(message), onDone: () => (done = true) });
    reply.release();
    reply.say('Please fail here.');
    reply.say('Then this.');
    reply.finish();
    await settle();
    expect(errors).toEqual(['cannot say that']);
    expect(out.queue.map((chunk) => chunk.length)).toEqual([2000]);
    advance(reply, out, 2000);
    expect(done).toBe(true);
  });

  it('an empty reply is done at once; a reply stopped before it was released says nothing was heard', async () => {
    let done = false;
    const empty = new ReplySpeech(tts, speakers(), { onDone: () => (done = true) });
    empty.finish();
    expect(done).toBe(true);
    const out = speakers();
    const early = new ReplySpeech(tts, out);
    early.say('Never heard.');
    await settle();
    await expect(early.stop()).resolves.toBe('');
    expect(out.flushes).toBe(0);
  });
});
