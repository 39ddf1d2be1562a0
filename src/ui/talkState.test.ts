import { describe, expect, it } from 'vitest';
import { loadPercent, talkView, type TalkInputs } from './talkState';

const idle: TalkInputs = { listening: 'idle', userSpeaking: false, understandingLoading: false, files: [], replying: false, assistantSpeaking: false, interrupted: false };
const listening: TalkInputs = { ...idle, listening: 'listening' };

describe('talkView', () => {
  it('walks through a spoken turn', () => {
    expect(talkView(idle)).toEqual({ state: 'idle', label: 'Not listening', percent: null });
    const files = [
      { file: 'encoder.onnx', loaded: 30, total: 100, done: false },
      { file: 'decoder.onnx', loaded: 12, total: 100, done: false },
      { file: 'tokenizer.json', loaded: 5, total: null, done: false },
    ];
    expect(talkView({ ...idle, listening: 'starting', files })).toEqual({ state: 'loading', label: 'Loading 21 %', percent: 21 });
    expect(talkView({ ...listening, understandingLoading: true })).toMatchObject({ state: 'loading', label: 'Listening · still loading…' });
    expect(talkView({ ...listening, understandingLoading: true, files })).toMatchObject({ state: 'loading', label: 'Listening · still loading 21 %', percent: 21 });
    // Speech heard while speech to text loads is said: the turn waits for it.
    expect(talkView({ ...listening, understandingLoading: true, userSpeaking: true })).toMatchObject({ state: 'hearing', label: 'Hearing you' });
    expect(talkView(listening).state).toBe('listening');
    expect(talkView({ ...listening, userSpeaking: true }).label).toBe('Hearing you');
    expect(talkView({ ...listening, replying: true }).label).toBe('Thinking…');
    expect(talkView({ ...listening, replying: true, assistantSpeaking: true }).label).toBe('Speaking');
    expect(talkView({ ...listening, assistantSpeaking: true, userSpeaking: true, interrupted: true }).label).toBe('Interrupted');
    expect(talkView({ ...listening, interrupted: true }).label).toBe('Interrupted');
  });

  it('a typed message thinks and speaks without listening; errors and pauses come first', () => {
    expect(talkView({ ...idle, replying: true }).state).toBe('thinking');
    expect(talkView({ ...idle, assistantSpeaking: true }).state).toBe('speaking');
    expect(talkView({ ...listening, listening: 'failed', replying: true }).state).toBe('error');
    expect(talkView({ ...listening, listening: 'suspended', userSpeaking: true }).state).toBe('paused');
  });

  it('counts only files whose size is known, and never past 100 %', () => {
    expect(loadPercent([])).toBeNull();
    expect(loadPercent([{ file: 'a', loaded: 10, total: null, done: false }])).toBeNull();
    expect(loadPercent([{ file: 'a', loaded: 150, total: 100, done: true }])).toBe(100);
  });
});
