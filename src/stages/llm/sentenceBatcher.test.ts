import { describe, expect, it } from 'vitest';
import { SentenceBatcher, removeMarkdown, removeUnspeakable, splitSentences } from './sentenceBatcher';

/** Streams `text` in small deltas, as tokens arrive, and collects every chunk. */
function stream(text: string, batch: number, deltaSize = 3): string[] {
  const batcher = new SentenceBatcher(batch);
  const chunks: string[] = [];
  for (let i = 0; i < text.length; i += deltaSize) chunks.push(...batcher.push(text.slice(i, i + deltaSize)));
  chunks.push(...batcher.end());
  return chunks;
}

describe('splitSentences', () => {
  it.each([
    ['Hello there. How are you? I am fine!', ['Hello there. ', 'How are you? ', 'I am fine!']],
    ['It is 3.5 metres, or $3.50 a day. Next.', ['It is 3.5 metres, or $3.50 a day. ', 'Next.']],
    ['Dr. Smith and Mrs. Jones met Mr. Brown. They talked.', ['Dr. Smith and Mrs. Jones met Mr. Brown. ', 'They talked.']],
    ['Use e.g. apples, i.e. fruit. The U.S. is big.', ['Use e.g. apples, i.e. fruit. ', 'The U.S. is big.']],
    ['Wait... what?! Yes.', ['Wait... what?! ', 'Yes.']],
    ['Call `obj.method(). Then` now. Done.', ['Call `obj.method(). Then` now. ', 'Done.']],
    ['This is *very. Important* stuff. Ok.', ['This is *very. Important* stuff. ', 'Ok.']],
    // A line break ends a sentence (a list item, a heading); a code block stays whole.
    ['Run:\n```\nx = 1. y = 2.\n```\nThat is all. Bye.', ['Run:\n', '```\nx = 1. y = 2.\n```\n', 'That is all. ', 'Bye.']],
  ])('%j', (text, expected) => {
    expect(splitSentences(text)).toEqual(expected);
  });

  it('does not split inside an unclosed code fence', () => {
    expect(splitSentences('Here:\n```\nx = 1. y = 2.')).toHaveLength(1);
  });
});

describe('removeMarkdown and removeUnspeakable', () => {
  it('reads markdown as plain speech', () => {
    expect(removeMarkdown('## Steps')).toBe('Steps');
    expect(removeMarkdown('- **Boil** the _water_.')).toBe('Boil the water.');
    expect(removeMarkdown('Type `ls -la` here.')).toBe('Type ls -la here.');
    expect(removeMarkdown('```js\nconst x = 1;\n```')).toBe('const x = 1;');
    expect(removeMarkdown('2 * 3 * 4 is 24.')).toBe('2 * 3 * 4 is 24.');
  });

  it('drops emoji and symbols TTS cannot say, keeps words, numbers and punctuation of any script', () => {
    expect(removeUnspeakable('Great job 🎉🚀! “Quoted” ‘text’ — 50% off €5.')).toBe('Great job ! "Quoted" \'text\' — 50% off €5.');
    expect(removeUnspeakable('こんにちは、世界。Привет! नमस्ते')).toBe('こんにちは、世界。Привет! नमस्ते');
  });
});

describe('SentenceBatcher', () => {
  const reply = 'First sentence. Second one! Third? Fourth. Fifth.';

  it('with stream_batch_sentences 1, speaks sentence by sentence', () => {
    expect(stream(reply, 1)).toEqual(['First sentence.', 'Second one!', 'Third?', 'Fourth.', 'Fifth.']);
  });

  it('batches 2 and 3 sentences, joined by spaces, and flushes the rest at the end', () => {
    expect(stream(reply, 2)).toEqual(['First sentence. Second one!', 'Third? Fourth.', 'Fifth.']);
    expect(stream(reply, 3)).toEqual(['First sentence. Second one! Third?', 'Fourth. Fifth.']);
  });

  it('holds a sentence until the next one has started', () => {
    const batcher = new SentenceBatcher(1);
    expect(batcher.push('Hello there.')).toEqual([]);
    expect(batcher.push(' How')).toEqual(['Hello there.']);
    expect(batcher.end()).toEqual(['How']);
  });

  it('gives the same chunks whatever the delta size', () => {
    const text = '# Plan\n\nHere is **one** idea. Use `a.b()` now. It costs 3.5 euros 🙂. Dr. Who agrees.';
    const expected = stream(text, 2, text.length);
    for (const size of [1, 2, 5, 17]) expect(stream(text, 2, size)).toEqual(expected);
    expect(expected.join(' ')).not.toContain('**');
    expect(expected.join(' ')).not.toContain('🙂');
  });

  it('gives nothing for an empty or unspeakable reply', () => {
    expect(stream('', 3)).toEqual([]);
    expect(stream('🎉🎉', 3)).toEqual([]);
  });
});
