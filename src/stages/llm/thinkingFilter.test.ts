import { describe, expect, it } from 'vitest';
import { ThinkingFilter } from './thinkingFilter';

function filter(deltas: readonly string[]): string {
  const thinking = new ThinkingFilter();
  return deltas.map((delta) => thinking.push(delta)).join('') + thinking.end();
}

/** Every way of cutting `text` into two deltas. */
function allSplits(text: string): string[][] {
  return Array.from({ length: text.length + 1 }, (_, i) => [text.slice(0, i), text.slice(i)]);
}

describe('ThinkingFilter', () => {
  it('drops reasoning between think tags', () => {
    expect(filter(['<think>The user wants a joke.</think>Why did the chicken cross the road?'])).toBe('Why did the chicken cross the road?');
    expect(filter(['Hello <think>hmm</think>there <think>again</think>friend.'])).toBe('Hello there friend.');
  });

  it('handles tags split anywhere across deltas', () => {
    const text = 'A<think>secret</think>B';
    for (const deltas of allSplits(text)) expect(filter(deltas)).toBe('AB');
    expect(filter(Array.from(text))).toBe('AB');
  });

  it('keeps text that only looks like the start of a tag', () => {
    expect(filter(['1 <', ' 2 and <thin', 'g> stays'])).toBe('1 < 2 and <thing> stays');
    expect(filter(['ends with <thi'])).toBe('ends with <thi');
  });

  it('drops an unfinished reasoning block when the stream ends', () => {
    expect(filter(['Sure. <think>still thinking'])).toBe('Sure. ');
  });
});
