import { describe, expect, it } from 'vitest';
import { WebSpeechReply, type SpeechSynthesisLike } from './webSpeechReply';

/** The browser's speechSynthesis as the test drives it: utterances queue, the test says what was spoken. */
function fakeSynthesis() {
  const queue: SpeechSynthesisUtterance[] = [];
  const calls: string[] = [];
  const synthesis: SpeechSynthesisLike & { queue: typeof queue; calls: string[] } = {
    queue,
    calls,
    speak: (utterance) => queue.push(utterance),
    cancel: () => calls.push('cancel'),
    pause: () => calls.push('pause'),
    resume: () => calls.push('resume'),
    getVoices: () => [{ name: 'Test Voice' } as SpeechSynthesisVoice],
  };
  return synthesis;
}

const utterance = (text: string) => ({ text }) as SpeechSynthesisUtterance;
const fire = (target: SpeechSynthesisUtterance, kind: 'onstart' | 'onend', extra: object = {}) => (target[kind] as ((event: object) => void) | null)?.(extra);
const boundary = (target: SpeechSynthesisUtterance, charIndex: number) => (target.onboundary as ((event: object) => void) | null)?.({ name: 'word', charIndex });

describe('WebSpeechReply', () => {
  it('speaks batches once released, with the voice and rate, and is done when all have ended', () => {
    const synthesis = fakeSynthesis();
    const events: string[] = [];
    const reply = new WebSpeechReply(synthesis, utterance, { voice: 'Test Voice', rate: 1.5 }, { onPlaying: () => events.push('playing'), onDone: () => events.push('done') });
    reply.say('One two three.');
    expect(synthesis.queue).toHaveLength(0);
    reply.release();
    reply.say('Four five.');
    reply.finish();
    expect(synthesis.queue.map((entry) => entry.text)).toEqual(['One two three.', 'Four five.']);
    expect(synthesis.queue[0]?.rate).toBe(1.5);
    expect(synthesis.queue[0]?.voice?.name).toBe('Test Voice');
    for (const entry of [...synthesis.queue]) {
      fire(entry, 'onstart');
      fire(entry, 'onend');
    }
    expect(events).toEqual(['playing', 'done']);
    expect(reply.heardText()).toBe('One two three. Four five.');
  });

  it('barge-in: pauses on a duck, cancels on confirmed speech, keeps the words spoken before', async () => {
    const synthesis = fakeSynthesis();
    const reply = new WebSpeechReply(synthesis, utterance, { voice: null, rate: 1 });
    reply.release();
    reply.say('One two three.');
    reply.say('Four five.');
    const [first] = synthesis.queue;
    if (!first) throw new Error('nothing spoken');
    fire(first, 'onstart');
    boundary(first, 4);
    boundary(first, 8);
    reply.duck(true);
    await expect(reply.stop()).resolves.toBe('One two');
    expect(synthesis.calls).toEqual(['pause', 'cancel']);
    expect(reply.audible).toBe(false);
  });

  it('a failed utterance is reported and skipped', () => {
    const synthesis = fakeSynthesis();
    const errors: string[] = [];
    let done = false;
    const reply = new WebSpeechReply(synthesis, utterance, { voice: null, rate: 1 }, { onError: (message) => errors.push(message), onDone: () => (done = true) });
    reply.release();
    reply.say('Hello.');
    reply.finish();
    (synthesis.queue[0]?.onerror as ((event: object) => void) | null)?.({ error: 'synthesis-failed' });
    expect(errors).toEqual(["the browser's speech synthesis failed (synthesis-failed). Choose another web_speech_voice, or another tts."]);
    expect(done).toBe(true);
  });
});
