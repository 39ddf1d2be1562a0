import { describe, expect, it } from 'vitest';
import { normalizedWords, wordErrorRate, wordErrors } from './wordErrorRate';

describe('word error rate', () => {
  it('normalises case, punctuation and number words', () => {
    expect(normalizedWords(' Set a timer for 10 minutes.')).toEqual(['set', 'a', 'timer', 'for', '10', 'minutes']);
    expect(normalizedWords('Set a timer for ten minutes!')).toEqual(['set', 'a', 'timer', 'for', '10', 'minutes']);
    expect(normalizedWords("What's up, 'doc'?")).toEqual(["what's", 'up', 'doc']);
  });

  it('counts substitutions, insertions and deletions', () => {
    expect(wordErrors('turn on the kitchen lights', 'turn on the kitchen lights')).toEqual({ errors: 0, words: 5 });
    expect(wordErrors('turn on the kitchen lights', 'turn off the kitchen light')).toEqual({ errors: 2, words: 5 });
    expect(wordErrors('turn on the lights', 'turn on all the lights please')).toEqual({ errors: 2, words: 4 });
    expect(wordErrors('turn on the lights', '')).toEqual({ errors: 4, words: 4 });
  });

  it('pools errors over utterances', () => {
    expect(wordErrorRate([{ reference: 'a b c d', hypothesis: 'a b c d' }, { reference: 'e f g h i j', hypothesis: 'e f x h i j' }])).toBeCloseTo(0.1);
    expect(wordErrorRate([])).toBe(0);
  });
});
