import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { defaultSettings, type Settings } from '../settings/schema';
import { BargeIn, DUCK_HOLD_MS, TRANSCRIPT_WAIT_MS, isBackchannel } from './bargeIn';

/** The state machine under fake time: a reply that is audible while the script says so, and a log of what it did when. */
function world(overrides: Partial<Settings> = {}) {
  const settings: Settings = { ...defaultSettings(), ...overrides };
  let audible = true;
  const log: string[] = [];
  const at = () => `${Date.now()}`;
  const barge = new BargeIn({
    settings: () => settings,
    audible: () => audible,
    duck: (ducked) => log.push(`${at()} ${ducked ? 'duck' : 'unduck'}`),
    cut: () => {
      log.push(`${at()} cut`);
      audible = false;
      return Promise.resolve();
    },
    mark: (moment) => log.push(`${at()} mark ${moment}`),
  });
  return {
    barge,
    log,
    settings,
    silence: () => (audible = false),
  };
}

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});
afterEach(() => {
  vi.useRealTimers();
});

describe('isBackchannel (the reference PR #566 rule, words and punctuation)', () => {
  it.each([
    ['Yeah, right.', true],
    ['Okay, sure.', true],
    ['Mm-hmm.', true],
    ['uh huh', true],
    ['', true],
    ['Really?', false],
    ['Stop!', false],
    ['Stop.', false],
    ['Wait', false],
    ['Stop. Tell me about Mars instead.', false],
    ['I see what you mean', false],
  ])('%j: %s', (text, expected) => {
    expect(isBackchannel(text, 2)).toBe(expected);
  });

  it('0 words: nothing is a backchannel', () => {
    expect(isBackchannel('Yeah.', 0)).toBe(false);
  });
});

describe('BargeIn', () => {
  it('a voice over the reply lowers it at once; nothing confirmed within the hold, the volume comes back', async () => {
    const { barge, log } = world();
    barge.voiceHeard();
    await vi.advanceTimersByTimeAsync(300);
    barge.voiceHeard();
    await vi.advanceTimersByTimeAsync(DUCK_HOLD_MS);
    expect(log).toEqual(['0 mark duck', '0 duck', `${300 + DUCK_HOLD_MS} unduck`]);
  });

  it('nothing audible: no duck; confirmed speech is an ordinary turn and stops a reply still thinking', async () => {
    const { barge, log, silence } = world();
    silence();
    barge.voiceHeard();
    barge.speechStarted(1);
    await vi.advanceTimersByTimeAsync(0);
    expect(log).toEqual(['0 cut', '0 unduck']);
    expect(await barge.final(1, 'Yeah.')).toBe('answer');
  });

  it('a backchannel: lowered from its onset, then the reply goes on at full volume and the turn is not answered', async () => {
    const { barge, log } = world();
    barge.voiceHeard();
    await vi.advanceTimersByTimeAsync(384);
    barge.speechStarted(1);
    await vi.advanceTimersByTimeAsync(500);
    barge.segmentEnded(1, 800);
    await vi.advanceTimersByTimeAsync(900);
    expect(await barge.final(1, 'Yeah, right.')).toBe('backchannel');
    expect(log).toEqual(['0 mark duck', '0 duck', '384 mark confirmed', '384 duck', '1784 unduck', '1784 mark resumed']);
    // The same words again (a late transcript) are not answered either.
    expect(await barge.final(1, 'Yeah, right.')).toBe('backchannel');
  });

  it('a short first part judged a backchannel ("Okay.") that goes on ("Okay. Tell me about Mars instead.") is judged again, its length counting on', async () => {
    const { barge, log } = world();
    barge.speechStarted(1);
    barge.segmentEnded(1, 500);
    expect(await barge.final(1, 'Okay.')).toBe('backchannel');
    await vi.advanceTimersByTimeAsync(200);
    barge.speechReopened(1);
    expect(log.at(-1)).toBe('200 duck');
    // 1500 ms of backchannel left: then it is too long.
    await vi.advanceTimersByTimeAsync(1500);
    expect(log.slice(-3)).toEqual(['1700 mark barge-in', '1700 cut', '1700 unduck']);
    expect(await barge.final(1, 'Okay. Tell me about Mars instead.')).toBe('answer');
  });

  it('speech that outgrows a backchannel cuts as soon as it is backchannel_max_ms long, without waiting for its words', async () => {
    const { barge, log } = world();
    barge.voiceHeard();
    await vi.advanceTimersByTimeAsync(384);
    // Confirmed after min_speech_ms of speech: 2000 - 384 ms later it is too long.
    barge.speechStarted(1);
    await vi.advanceTimersByTimeAsync(2000 - 384);
    expect(log.slice(-3)).toEqual(['2000 mark barge-in', '2000 cut', '2000 unduck']);
    expect(await barge.final(1, 'Stop. Tell me about Mars instead.')).toBe('answer');
    expect(log.filter((line) => line.endsWith('cut'))).toHaveLength(1);
  });

  it('a segment longer than the limit cuts at its end; a shorter one that goes on (reopened) counts on from there', async () => {
    const long = world();
    long.barge.speechStarted(1);
    long.barge.segmentEnded(1, 2100);
    await vi.advanceTimersByTimeAsync(0);
    expect(long.log.slice(-2)).toEqual(['0 cut', '0 unduck']);

    vi.setSystemTime(0);
    const resumed = world();
    resumed.barge.speechStarted(1);
    await vi.advanceTimersByTimeAsync(900);
    resumed.barge.segmentEnded(1, 1200);
    await vi.advanceTimersByTimeAsync(300);
    resumed.barge.speechReopened(1);
    // 800 ms of backchannel left.
    await vi.advanceTimersByTimeAsync(799);
    expect(resumed.log.some((line) => line.endsWith('cut'))).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(resumed.log.slice(-3)).toEqual(['2000 mark barge-in', '2000 cut', '2000 unduck']);
  });

  it('words that are no backchannel cut at the final, or sooner at a partial', async () => {
    for (const text of ['Really?', 'Stop!', 'Tell me more.']) {
      const { barge, log } = world();
      barge.speechStarted(1);
      barge.segmentEnded(1, 700);
      expect(await barge.final(1, text)).toBe('answer');
      expect(log.slice(-2)).toEqual(['0 cut', '0 unduck']);
    }
    const { barge, log } = world();
    barge.speechStarted(1);
    await vi.advanceTimersByTimeAsync(500);
    barge.partial(1, 'Yeah');
    expect(log.some((line) => line.endsWith('cut'))).toBe(false);
    barge.partial(1, 'Stop, tell me');
    await vi.advanceTimersByTimeAsync(0);
    expect(log.slice(-3)).toEqual(['500 mark barge-in', '500 cut', '500 unduck']);
  });

  it('words that are late: a short utterance brings the volume back after TRANSCRIPT_WAIT_MS; the words still decide when they come', async () => {
    const { barge, log } = world();
    barge.speechStarted(1);
    barge.segmentEnded(1, 600);
    await vi.advanceTimersByTimeAsync(TRANSCRIPT_WAIT_MS);
    expect(log).toEqual(['0 mark confirmed', '0 duck', `${TRANSCRIPT_WAIT_MS} unduck`]);
    await vi.advanceTimersByTimeAsync(3000);
    expect(await barge.final(1, 'What about Mars?')).toBe('answer');
    expect(log.at(-2)).toBe(`${TRANSCRIPT_WAIT_MS + 3000} cut`);
  });

  it('two acknowledgements in a row, the first one’s words late: each is judged by its own words, none is answered', async () => {
    const { barge, log } = world();
    barge.speechStarted(1);
    barge.segmentEnded(1, 400);
    await vi.advanceTimersByTimeAsync(1000);
    barge.speechStarted(2);
    barge.segmentEnded(2, 500);
    expect(await barge.final(1, 'Mm-hmm.')).toBe('backchannel');
    // The second is still pending: the reply stays lowered.
    expect(log.at(-1)).toBe('1000 duck');
    expect(await barge.final(2, 'Right.')).toBe('backchannel');
    expect(log.at(-1)).toBe('1000 mark resumed');
    expect(log.some((line) => line.endsWith('cut'))).toBe(false);
  });

  it('with interrupt_response off, the voice does nothing to the reply', async () => {
    const { barge, log } = world({ interrupt_response: false });
    barge.voiceHeard();
    barge.speechStarted(1);
    barge.segmentEnded(1, 5000);
    await vi.advanceTimersByTimeAsync(5000);
    expect(await barge.final(1, 'Stop. Tell me about Mars instead.')).toBe('answer');
    expect(log).toEqual([]);
  });

  it('reset (listening stopped) ends a pending decision and brings the volume back; nothing fires after', async () => {
    const { barge, log } = world();
    barge.voiceHeard();
    barge.speechStarted(1);
    barge.reset();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(log).toEqual(['0 mark duck', '0 duck', '0 mark confirmed', '0 duck', '0 unduck']);
  });
});
