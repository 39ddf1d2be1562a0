import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../../settings/schema';
import { FRAME_SAMPLES, TurnDetector, type SmartTurnClassifier, type TurnDetectorOptions, type TurnEvent } from './turnDetector';

const FRAME_MS = 32;
/** S speech, b the hysteresis band, . silence; e sound Silero has not noticed yet, q quiet Silero still calls speech (its lag). */
const PROBABILITY: Record<string, number> = { S: 0.9, b: 0.5, '.': 0.05, e: 0.05, q: 0.5 };
const SOUNDING = new Set(['S', 'b', 'e']);

/** The reference's defaults, with Smart Turn and live transcription off unless a test turns them on. */
function options(overrides: Partial<TurnDetectorOptions> = {}): TurnDetectorOptions {
  return { ...defaultSettings(), smart_turn: false, enable_live_transcription: false, ...overrides };
}

type Timed = TurnEvent & { atMs: number };

/**
 * Feeds a script of frames, one character per 32 ms frame: S speech (0.9), b the hysteresis band
 * (0.5, between thresh - 0.15 and thresh), . silence (0.05). Each frame's samples encode its index,
 * loud for speech and quiet (under -60 dBFS) for silence, so a segment's audio shows which frames
 * it holds and its speech has edges where the script puts them.
 */
const LOUD = 0.1;
const encode = (index: number, speech: boolean) => (speech ? LOUD + index * 1e-4 : index * 1e-7);
const decode = (value: number) => Math.round(value >= LOUD ? (value - LOUD) / 1e-4 : value / 1e-7);
async function run(script: string, detector = new TurnDetector(options()), between?: (index: number, detector: TurnDetector) => void): Promise<Timed[]> {
  const events: Timed[] = [];
  const frames = script.replaceAll(' ', '');
  for (let index = 0; index < frames.length; index++) {
    between?.(index, detector);
    const symbol = frames[index] as string;
    const frame = new Float32Array(FRAME_SAMPLES).fill(encode(index, SOUNDING.has(symbol)));
    for (const event of await detector.push(frame, PROBABILITY[symbol] as number)) events.push({ ...event, atMs: detector.nowMs });
  }
  return events;
}

const kinds = (events: Timed[]) => events.map((event) => event.kind);
const only = <K extends TurnEvent['kind']>(events: Timed[], kind: K) => events.filter((event): event is Extract<Timed, { kind: K }> => event.kind === kind);
/** The frame indexes a segment's audio holds, each once. */
const framesOf = (audio: Float32Array) => [...new Set(Array.from(audio, decode))];
const repeat = (text: string, times: number) => text.repeat(times);

describe('TurnDetector: segments', () => {
  it('finds nothing in silence', async () => {
    expect(await run(repeat('.', 200))).toEqual([]);
  });

  it('starts speech after min_speech_ms, ends after min_silence_ms, and prepends the pre-roll', async () => {
    const events = await run(`${repeat('.', 10)}${repeat('S', 20)}${repeat('.', 40)}`);
    expect(kinds(events)).toEqual(['speech_started', 'speech_stopped', 'segment', 'turn_releasable']);
    const [started] = only(events, 'speech_started');
    // 384 ms is 12 frames: the trigger frame (index 10) and 11 more.
    expect(started?.atMs).toBe((10 + 12) * FRAME_MS);
    expect(started?.startMs).toBe(0);
    const [segment] = only(events, 'segment');
    expect(segment?.speechStartMs).toBe(10 * FRAME_MS);
    expect(segment?.speechEndMs).toBe(30 * FRAME_MS);
    // 64 ms of silence takes 3 frames below the end threshold (the first one starts the count).
    expect(segment?.endMs).toBe(33 * FRAME_MS);
    expect(segment?.startMs).toBe(0);
    expect(framesOf(segment?.audio ?? new Float32Array())).toEqual([...Array(33).keys()]);
    expect(segment).toMatchObject({ turn: 1, revision: 0, smartTurn: null, delayMs: 0, graceMs: 800 });
  });

  it('keeps exactly speech_pad_ms of pre-roll, slicing a frame', async () => {
    const [segment] = only(await run(`${repeat('.', 40)}${repeat('S', 20)}${repeat('.', 5)}`), 'segment');
    const audio = segment?.audio ?? new Float32Array();
    expect(audio.length).toBe(500 * 16 + 23 * FRAME_SAMPLES);
    expect(segment?.startMs).toBe(40 * FRAME_MS - 500);
    // 500 ms is 15.6 frames: part of frame 24, then frames 25 to 39.
    expect(framesOf(audio.subarray(0, 8000))).toEqual([24, ...Array.from({ length: 15 }, (_, i) => 25 + i)]);
  });

  it('places speech where its audio starts and stops (to 10 ms), not where Silero noticed it', async () => {
    // Sound from frame 8, though Silero crosses thresh at frame 10; quiet from frame 26, though
    // Silero hears speech until frame 28.
    const [segment] = only(await run(`........ee${repeat('S', 16)}qq${repeat('.', 40)}`), 'segment');
    expect(Math.abs((segment?.speechStartMs ?? 0) - 8 * FRAME_MS)).toBeLessThan(10);
    expect(Math.abs((segment?.speechEndMs ?? 0) - 26 * FRAME_MS)).toBeLessThan(10);
  });

  it('handles speech from the very first frame', async () => {
    const events = await run(`${repeat('S', 15)}${repeat('.', 5)}`);
    const [segment] = only(events, 'segment');
    expect(segment?.startMs).toBe(0);
    expect(segment?.speechStartMs).toBe(0);
    expect(only(events, 'speech_started')[0]?.startMs).toBe(0);
  });

  it('discards speech shorter than min_speech_ms without a word', async () => {
    expect(await run(`..${repeat('S', 11)}${repeat('.', 20)}`)).toEqual([]);
    expect(kinds(await run(`..${repeat('S', 12)}${repeat('.', 20)}`))).toContain('segment');
  });

  it('counts the hysteresis band as speech, so flapping around thresh does not end a segment', async () => {
    const flapping = `..${repeat('S', 4)}${repeat('bSb.', 10)}${repeat('.', 6)}`;
    const events = await run(flapping);
    expect(kinds(events).filter((kind) => kind === 'segment')).toHaveLength(1);
    // Band frames count toward min_speech_ms: 4 S + 12 b-or-S frames reach 384 ms.
    const onlyBand = await run(`..S${repeat('b', 11)}${repeat('.', 5)}`);
    expect(kinds(onlyBand)).toContain('speech_started');
  });

  it('waits min_silence_ms below the end threshold, however it is set', async () => {
    const detector = new TurnDetector(options({ min_silence_ms: 100 }));
    const events = await run(`${repeat('S', 15)}....${repeat('S', 3)}${repeat('.', 6)}`, detector);
    // Four silent frames (128 ms counted from the first) are not yet 100 ms after it... 100 ms needs 5 frames.
    expect(only(events, 'segment')).toHaveLength(1);
    expect(only(events, 'segment')[0]?.endMs).toBe((15 + 4 + 3 + 5) * FRAME_MS);
  });

  it('discards a segment longer than max_speech_ms, saying speech stopped', async () => {
    const events = await run(`${repeat('S', 40)}${repeat('.', 5)}`, new TurnDetector(options({ max_speech_ms: 1000 })));
    expect(kinds(events)).toEqual(['speech_started', 'speech_stopped']);
    expect(only(events, 'speech_stopped')[0]).toMatchObject({ discarded: 'too_long', durationS: 0 });
    const kept = await run(`${repeat('S', 40)}${repeat('.', 5)}`, new TurnDetector(options({ max_speech_ms: Infinity })));
    expect(kinds(kept)).toContain('segment');
  });
});

describe('TurnDetector: turns', () => {
  it('reopens the turn when speech resumes before it is answered, with all its audio', async () => {
    const events = await run(`${repeat('S', 15)}${repeat('.', 10)}${repeat('S', 7)}${repeat('.', 40)}`, new TurnDetector(options({ speech_pad_ms: 0 })));
    const segments = only(events, 'segment');
    expect(segments.map((segment) => [segment.turn, segment.revision])).toEqual([[1, 0], [1, 1]]);
    // 7 frames (224 ms) pass the continuation bar of 192 ms, not min_speech_ms.
    expect(only(events, 'speech_started').map((event) => event.reopened)).toEqual([false, true]);
    expect(framesOf(segments[1]?.audio ?? new Float32Array())).toEqual([...Array(18).keys(), ...Array.from({ length: 10 }, (_, i) => 25 + i)]);
    // The first revision never becomes releasable: it was superseded.
    expect(only(events, 'turn_releasable').map((event) => event.revision)).toEqual([1]);
  });

  it('with min_speech_continuation_ms 0, a reopen needs min_speech_ms', async () => {
    const events = await run(`${repeat('S', 15)}${repeat('.', 10)}${repeat('S', 7)}${repeat('.', 5)}`, new TurnDetector(options({ min_speech_continuation_ms: 0 })));
    expect(only(events, 'segment')).toHaveLength(1);
  });

  it('clamps min_speech_continuation_ms to at least 100 ms', async () => {
    const detector = new TurnDetector(options({ min_speech_continuation_ms: 10 }));
    const events = await run(`${repeat('S', 15)}${repeat('.', 10)}SS${repeat('.', 5)}SSSS${repeat('.', 5)}`, detector);
    // 2 frames (64 ms) are under 100 ms; 4 frames (128 ms) are over it.
    expect(only(events, 'segment').map((segment) => segment.revision)).toEqual([0, 1]);
  });

  it('starts a new turn once the turn was released, however soon the speech comes', async () => {
    // Released 800 ms (25 frames) after the soft end; the new speech starts one frame later.
    const events = await run(`${repeat('S', 15)}${repeat('.', 3 + 25 + 1)}${repeat('S', 15)}${repeat('.', 40)}`, new TurnDetector(options({ speech_pad_ms: 0 })));
    expect(only(events, 'segment').map((segment) => [segment.turn, segment.revision])).toEqual([[1, 0], [2, 0]]);
    expect(only(events, 'turn_releasable').map((event) => event.turn)).toEqual([1, 2]);
  });

  it('reopens the turn when the speech comes just before its release', async () => {
    const events = await run(`${repeat('S', 15)}${repeat('.', 3 + 20)}${repeat('S', 15)}${repeat('.', 40)}`, new TurnDetector(options({ speech_pad_ms: 0 })));
    expect(only(events, 'segment').map((segment) => [segment.turn, segment.revision])).toEqual([[1, 0], [1, 1]]);
  });

  it('releases the turn after speculative_reopen_ms of grace', async () => {
    const events = await run(`${repeat('S', 15)}${repeat('.', 40)}`);
    const [segment] = only(events, 'segment');
    const [releasable] = only(events, 'turn_releasable');
    expect(releasable?.atMs).toBeGreaterThanOrEqual((segment?.endMs ?? 0) + 800);
    expect(releasable?.atMs).toBeLessThan((segment?.endMs ?? 0) + 800 + FRAME_MS);
  });

  it('holds the release while speech that may reopen the turn is being heard', async () => {
    // Speech resumes 20 frames (640 ms) after the soft end and lasts past the 800 ms grace.
    const events = await run(`${repeat('S', 15)}${repeat('.', 20)}${repeat('S', 20)}${repeat('.', 40)}`);
    expect(only(events, 'turn_releasable').map((event) => event.revision)).toEqual([1]);
  });

  it('short_segment_merge_ms stitches a short segment to the next, with the gap as silence', async () => {
    const script = `..${repeat('S', 7)}${repeat('.', 8)}${repeat('S', 7)}${repeat('.', 5)}`;
    expect(only(await run(script, new TurnDetector(options({ short_segment_merge_ms: 0 }))), 'segment')).toHaveLength(0);
    const events = await run(script, new TurnDetector(options({ short_segment_merge_ms: 1000, speech_pad_ms: 0 })));
    const segments = only(events, 'segment');
    expect(segments).toHaveLength(1);
    expect(segments[0]?.startMs).toBe(2 * FRAME_MS);
    // The first piece (frames 2-11), the gap as zeros, then the second piece.
    const audio = segments[0]?.audio ?? new Float32Array();
    expect(audio.length).toBe(segments[0] ? (segments[0].endMs - segments[0].startMs) * 16 : 0);
  });

  it('keeps a short first word before a brief dip by default ("What | time is it"), where the reference drops it', async () => {
    // "What": 224 ms of speech (under min_speech_ms), a 160 ms dip, then the rest of the question.
    const script = `${repeat('.', 20)}${repeat('S', 7)}${repeat('.', 5)}${repeat('S', 30)}${repeat('.', 40)}`;
    const [kept] = only(await run(script), 'segment');
    expect(kept && framesOf(kept.audio)).toEqual(expect.arrayContaining([20, 26, 32, 61]));
    const [dropped] = only(await run(script, new TurnDetector(options({ short_segment_merge_ms: 0 }))), 'segment');
    expect(dropped && framesOf(dropped.audio)).not.toContain(20);
    expect(dropped && framesOf(dropped.audio)).toContain(32);
  });

  it('makes no turn of a click or a breath alone, nor of two a second apart, by default', async () => {
    expect(only(await run(`${repeat('.', 20)}${repeat('S', 4)}${repeat('.', 60)}`), 'segment')).toEqual([]);
    expect(only(await run(`${repeat('.', 20)}${repeat('S', 8)}${repeat('.', 60)}`), 'segment')).toEqual([]);
    expect(only(await run(`${repeat('.', 20)}${repeat('S', 8)}${repeat('.', 50)}${repeat('S', 8)}${repeat('.', 60)}`), 'segment')).toEqual([]);
  });

  it('drops a held short segment once the merge window has passed', async () => {
    const events = await run(`..${repeat('S', 7)}${repeat('.', 40)}${repeat('S', 7)}${repeat('.', 5)}`, new TurnDetector(options({ short_segment_merge_ms: 500 })));
    expect(only(events, 'segment')).toHaveLength(0);
  });
});

describe('TurnDetector: live transcription', () => {
  it('sends the turn so far every live_transcription_update_interval once speech has started', async () => {
    const events = await run(`${repeat('S', 60)}${repeat('.', 5)}`, new TurnDetector(options({ enable_live_transcription: true, live_transcription_update_interval: 0.5 })));
    const snapshots = only(events, 'progressive');
    expect(snapshots.map((snapshot) => snapshot.endMs)).toEqual([12, 28, 44, 60].map((frame) => frame * FRAME_MS));
    expect(snapshots.map((snapshot) => snapshot.audio.length)).toEqual([12, 28, 44, 60].map((frame) => frame * FRAME_SAMPLES));
  });

  it('sends none while the voice activity is under thresh (the speech may be ending), and goes on when it is back', async () => {
    // Speech, then the hysteresis band (still speech, but under thresh) long enough for two intervals, then speech again.
    const events = await run(`${repeat('S', 14)}${repeat('b', 40)}${repeat('S', 20)}${repeat('.', 5)}`, new TurnDetector(options({ enable_live_transcription: true, live_transcription_update_interval: 0.5 })));
    const frames = only(events, 'progressive').map((snapshot) => snapshot.endMs / FRAME_MS);
    expect(frames).toEqual([12, 55, 71]);
    expect(only(events, 'segment')).toHaveLength(1);
  });

  it('sends none when live transcription is off', async () => {
    expect(only(await run(`${repeat('S', 60)}.....`), 'progressive')).toEqual([]);
  });

  it('slows down for long utterances, at most every 2 s', async () => {
    const events = await run(`${repeat('S', 1100)}.....`, new TurnDetector(options({ enable_live_transcription: true })));
    const gaps = only(events, 'progressive').map((snapshot, index, all) => (index === 0 ? 0 : snapshot.endMs - (all[index - 1]?.endMs ?? 0)));
    expect(Math.max(...gaps)).toBeLessThanOrEqual(2000 + FRAME_MS);
    expect(gaps.at(-1)).toBeGreaterThan(1900);
  });
});

describe('TurnDetector: Smart Turn', () => {
  const classifier = (probability: number, seen: Float32Array[] = []): SmartTurnClassifier => (audio) => {
    seen.push(audio);
    return Promise.resolve(probability);
  };

  it('a complete turn is released after speculative_reopen_ms, and STT starts at once', async () => {
    const events = await run(`${repeat('S', 15)}${repeat('.', 60)}`, new TurnDetector(options({ smart_turn: true }), classifier(0.9)));
    const [segment] = only(events, 'segment');
    expect(segment).toMatchObject({ smartTurn: { probability: 0.9, complete: true }, graceMs: 800, delayMs: 0 });
  });

  it('a turn Smart Turn is sure of is released after smart_turn_confident_reopen_ms; 1 turns that off', async () => {
    const sure = await run(`${repeat('S', 15)}${repeat('.', 60)}`, new TurnDetector(options({ smart_turn: true }), classifier(0.97)));
    const [segment] = only(sure, 'segment');
    expect(segment).toMatchObject({ graceMs: 300, delayMs: 0 });
    const released = only(sure, 'turn_releasable')[0]?.atMs ?? 0;
    expect(released).toBeGreaterThanOrEqual((segment?.endMs ?? 0) + 300);
    expect(released).toBeLessThan((segment?.endMs ?? 0) + 800);
    // Speech 500 ms after a sure end starts a new turn.
    const after = await run(`${repeat('S', 15)}${repeat('.', 16)}${repeat('S', 15)}.....`, new TurnDetector(options({ smart_turn: true }), classifier(0.97)));
    expect(only(after, 'segment').map((entry) => [entry.turn, entry.revision])).toEqual([[1, 0], [2, 0]]);
    const reopened = await run(`${repeat('S', 15)}${repeat('.', 16)}${repeat('S', 15)}.....`, new TurnDetector(options({ smart_turn: true, smart_turn_confident_threshold: 1 }), classifier(0.97)));
    expect(only(reopened, 'segment').map((entry) => [entry.turn, entry.revision])).toEqual([[1, 0], [1, 1]]);
    const off = await run(`${repeat('S', 15)}${repeat('.', 60)}`, new TurnDetector(options({ smart_turn: true, smart_turn_confident_threshold: 1 }), classifier(0.97)));
    expect(only(off, 'segment')[0]).toMatchObject({ graceMs: 800 });
    // Never longer than the plain grace.
    const short = await run(`${repeat('S', 15)}${repeat('.', 60)}`, new TurnDetector(options({ smart_turn: true, speculative_reopen_ms: 100 }), classifier(0.97)));
    expect(only(short, 'segment')[0]).toMatchObject({ graceMs: 100 });
  });

  it('an incomplete turn waits smart_turn_incomplete_delay_ms for STT and smart_turn_max_wait_ms for release', async () => {
    const events = await run(`${repeat('S', 15)}${repeat('.', 80)}`, new TurnDetector(options({ smart_turn: true }), classifier(0.3)));
    const [segment] = only(events, 'segment');
    expect(segment).toMatchObject({ smartTurn: { probability: 0.3, complete: false }, graceMs: 2000, delayMs: 600 });
    expect(only(events, 'turn_releasable')[0]?.atMs).toBeGreaterThanOrEqual((segment?.endMs ?? 0) + 2000);
  });

  it('compares with smart_turn_threshold strictly, as the reference does', async () => {
    const events = await run(`${repeat('S', 15)}.....`, new TurnDetector(options({ smart_turn: true, smart_turn_threshold: 0.5 }), classifier(0.5)));
    expect(only(events, 'segment')[0]?.smartTurn?.complete).toBe(false);
  });

  it('classifies the last 8 s of the whole turn', async () => {
    const seen: Float32Array[] = [];
    await run(`${repeat('S', 300)}.....`, new TurnDetector(options({ smart_turn: true }), classifier(0.9, seen)));
    expect(seen[0]?.length).toBe(8 * 16_000);
    expect(decode(seen[0]?.at(-1) ?? 0)).toBe(302);
  });

  it('a failed classification ends the turn as plain VAD would, and says so', async () => {
    const failing: SmartTurnClassifier = () => Promise.reject(new Error('model gone'));
    const events = await run(`${repeat('S', 15)}.....`, new TurnDetector(options({ smart_turn: true }), failing));
    expect(only(events, 'smart_turn_failed')[0]?.message).toBe('model gone');
    expect(only(events, 'segment')[0]).toMatchObject({ smartTurn: null, graceMs: 800, delayMs: 0 });
  });

  it('a complete turn is answered once its grace is over: later speech starts a new turn', async () => {
    const detector = new TurnDetector(options({ smart_turn: true, speculative_reopen_ms: 100, unanswered_reopen_ms: 7000, smart_turn_max_wait_ms: 2000 }), classifier(0.9));
    const events = await run(`${repeat('S', 15)}${repeat('.', 50)}${repeat('S', 15)}.....`, detector);
    expect(only(events, 'segment').map((segment) => [segment.turn, segment.revision])).toEqual([[1, 0], [2, 0]]);
  });

  it('an incomplete turn stays open for smart_turn_max_wait_ms', async () => {
    const detector = new TurnDetector(options({ smart_turn: true, speculative_reopen_ms: 100, smart_turn_max_wait_ms: 2000 }), classifier(0.1));
    const events = await run(`${repeat('S', 15)}${repeat('.', 50)}${repeat('S', 8)}.....`, detector);
    expect(only(events, 'segment').map((segment) => [segment.turn, segment.revision])).toEqual([[1, 0], [1, 1]]);
  });
});

describe('TurnDetector: push to talk and send now', () => {
  it('send now ends the speech being heard at once: no wait for silence or Smart Turn, released at once', async () => {
    let calls = 0;
    const classifier: SmartTurnClassifier = () => {
      calls++;
      return Promise.resolve(0.1);
    };
    const detector = new TurnDetector(options({ smart_turn: true }), classifier);
    const heard = await run(`${repeat('.', 5)}${repeat('S', 20)}`, detector);
    expect(kinds(heard)).toEqual(['speech_started']);
    const events = (await detector.endTurnNow()) as Timed[];
    expect(kinds(events)).toEqual(['speech_stopped', 'segment', 'turn_releasable']);
    expect(only(events, 'segment')[0]).toMatchObject({ turn: 1, delayMs: 0, graceMs: 0, smartTurn: null });
    expect(calls).toBe(0);
    // What follows is a new turn, not a reopen of this one.
    const next = await run(`${repeat('S', 20)}${repeat('.', 5)}`, detector);
    expect(only(next, 'speech_started')[0]).toMatchObject({ turn: 2, reopened: false });
  });

  it('send now releases a turn Smart Turn holds open; with nothing heard it does nothing', async () => {
    const detector = new TurnDetector(options({ smart_turn: true }), () => Promise.resolve(0.1));
    const heard = await run(`${repeat('S', 20)}${repeat('.', 10)}`, detector);
    expect(kinds(heard)).toEqual(['speech_started', 'speech_stopped', 'segment']);
    expect(kinds((await detector.endTurnNow()) as Timed[])).toEqual(['turn_releasable']);
    expect(await new TurnDetector(options()).endTurnNow()).toEqual([]);
  });

  it('while held, a pause does not end the turn: speech after it continues the same turn, released only when let go', async () => {
    const detector = new TurnDetector(options());
    detector.hold(true);
    // A pause far longer than the reopen windows.
    const events = await run(`${repeat('S', 20)}${repeat('.', 100)}${repeat('S', 20)}`, detector);
    expect(kinds(events)).toEqual(['speech_started', 'speech_stopped', 'segment', 'speech_started']);
    expect(only(events, 'speech_started')[1]).toMatchObject({ turn: 1, revision: 1, reopened: true });
    const ended = (await detector.endTurnNow()) as Timed[];
    expect(kinds(ended)).toEqual(['speech_stopped', 'segment', 'turn_releasable']);
    expect(only(ended, 'segment')[0]).toMatchObject({ turn: 1, revision: 1 });
  });
});
