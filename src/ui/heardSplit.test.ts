import { describe, expect, it } from 'vitest';
import { splitHeard } from './heardSplit';

describe('splitHeard', () => {
  it('ends the heard part after the last word heard, across markdown the voice did not say', () => {
    expect(splitHeard('**Paris** is the capital. It is big.', 'Paris is the')).toEqual({ heard: '**Paris** is the', rest: ' capital. It is big.' });
    expect(splitHeard('A one. B two.', '')).toEqual({ heard: '', rest: 'A one. B two.' });
    expect(splitHeard('A one. B two.', 'A one. B two.')).toEqual({ heard: 'A one. B two.', rest: '' });
  });

  it('gives up where the heard words are not in the text in order', () => {
    expect(splitHeard('A one. B two.', 'B one')).toBeNull();
  });
});
