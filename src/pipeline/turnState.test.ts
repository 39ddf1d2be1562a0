import { describe, expect, it } from 'vitest';
import { loadPercent, turnView, type TurnInputs } from './turnState';

const idle: TurnInputs = { listening: 'idle', userSpeaking: false, understandingLoading: false, files: [], replying: false, assistantSpeaking: false, interrupted: false };
const listening: TurnInputs = { ...idle, listening: 'listening' };

describe('turnView', () => {
  it('walks through a spoken turn', () => {
    expect(turnView(idle)).toEqual({ state: 'idle', label: 'Not listening', percent: null });
    const files = [
      { file: 'encoder.onnx', loaded: 30, total: 100, done: false },
      { file: 'decoder.onnx', loaded: 12, total: 100, done: false },
      { file: 'tokenizer.json', loaded: 5, total: null, done: false },
    ];
    expect(turnView({ ...idle, listening: 'starting', files })).toEqual({ state: 'loading', label: 'Loading 21 %', percent: 21 });
    expect(turnView({ ...listening, understandingLoading: true })).toMatchObject({ state: 'loading', label: 'Listening · still loading…' });
    expect(turnView({ ...listening, understandingLoading: true, files })).toMatchObject({ state: 'loading', label: 'Listening · still loading 21 %', percent: 21 });
    // Speech heard while speech to text loads is said: the turn waits for it.
    expect(turnView({ ...listening, understandingLoading: true, userSpeaking: true })).toMatchObject({ state: 'hearing', label: 'Hearing you' });
    expect(turnView(listening).state).toBe('listening');
    expect(turnView({ ...listening, userSpeaking: true }).label).toBe('Hearing you');
    expect(turnView({ ...listening, replying: true }).label).toBe('Thinking…');
    // A tool call waits for the user: the assistant is not thinking, it waits for them.
    expect(turnView({ ...listening, replying: true, askingUser: true })).toMatchObject({ state: 'asking', label: 'Waiting for your answer' });
    expect(turnView({ ...listening, replying: true, assistantSpeaking: true }).label).toBe('Speaking');
    expect(turnView({ ...listening, assistantSpeaking: true, userSpeaking: true, interrupted: true }).label).toBe('Interrupted');
    expect(turnView({ ...listening, interrupted: true }).label).toBe('Interrupted');
  });

  it('a typed message thinks and speaks without listening; errors and pauses come first', () => {
    expect(turnView({ ...idle, replying: true }).state).toBe('thinking');
    expect(turnView({ ...idle, assistantSpeaking: true }).state).toBe('speaking');
    expect(turnView({ ...listening, listening: 'failed', replying: true }).state).toBe('error');
    expect(turnView({ ...listening, listening: 'suspended', userSpeaking: true }).state).toBe('paused');
  });

  it('counts only files whose size is known, and never past 100 %', () => {
    expect(loadPercent([])).toBeNull();
    expect(loadPercent([{ file: 'a', loaded: 10, total: null, done: false }])).toBeNull();
    expect(loadPercent([{ file: 'a', loaded: 150, total: 100, done: true }])).toBe(100);
  });
});
