import { describe, expect, it } from 'vitest';
import { markdownBlocks } from './markdownBlocks';

describe('markdownBlocks', () => {
  it('splits at blank lines, each block knowing where it starts, and loses no character', () => {
    const text = 'Mars has **two** moons:\n\n- Phobos\n- Deimos\n\nBoth are small.';
    const blocks = markdownBlocks(text);
    expect(blocks.map((block) => block.text.trim())).toEqual(['Mars has **two** moons:', '- Phobos\n- Deimos', 'Both are small.']);
    for (const block of blocks) expect(text.slice(block.start, block.start + block.text.length)).toBe(block.text);
    expect(blocks.map((block) => block.text).join('')).toBe(text);
  });

  it('keeps a fenced code block with blank lines in it whole, also while it is still open', () => {
    const code = '```python\nx = 1\n\ny = 2\n```';
    expect(markdownBlocks(`Here:\n\n${code}\n\nDone.`).map((block) => block.text.trim())).toEqual(['Here:', code, 'Done.']);
    expect(markdownBlocks('Here:\n\n~~~\na\n\nb').map((block) => block.text.trim())).toEqual(['Here:', '~~~\na\n\nb']);
  });

  it('a fence closes only with its own kind and length', () => {
    const code = '````\n```\n\n```\n````';
    expect(markdownBlocks(`${code}\n\nafter`).map((block) => block.text.trim())).toEqual([code, 'after']);
  });

  it('gives one block for text without blank lines, and none for nothing', () => {
    expect(markdownBlocks('one\ntwo')).toEqual([{ text: 'one\ntwo', start: 0 }]);
    expect(markdownBlocks('')).toEqual([]);
  });
});
