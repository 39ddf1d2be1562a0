/**
 * Word error rate, on text normalised as Whisper's English normaliser would for these purposes:
 * lower case, no punctuation, number words as digits ("ten" and "10" are the same word).
 */

const NUMBER_WORDS: Readonly<Record<string, string>> = {
  zero: '0', one: '1', two: '2', three: '3', four: '4', five: '5', six: '6', seven: '7', eight: '8', nine: '9', ten: '10',
  eleven: '11', twelve: '12', thirteen: '13', fourteen: '14', fifteen: '15', sixteen: '16', seventeen: '17', eighteen: '18',
  nineteen: '19', twenty: '20', thirty: '30', forty: '40', fifty: '50', sixty: '60', seventy: '70', eighty: '80', ninety: '90', hundred: '100',
};

export function normalizedWords(text: string): string[] {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}' ]+/gu, ' ')
    .replace(/'(?!\p{L})|(?<!\p{L})'/gu, ' ')
    .split(/\s+/)
    .filter((word) => word !== '')
    .map((word) => NUMBER_WORDS[word] ?? word);
}

/** Word-level edit distance between reference and hypothesis. */
export function wordErrors(reference: string, hypothesis: string): { errors: number; words: number } {
  const expected = normalizedWords(reference);
  const heard = normalizedWords(hypothesis);
  let previous = Array.from({ length: heard.length + 1 }, (_, i) => i);
  for (let i = 1; i <= expected.length; i++) {
    const current = [i];
    for (let j = 1; j <= heard.length; j++) {
      const substitution = (previous[j - 1] as number) + (expected[i - 1] === heard[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution));
    }
    previous = current;
  }
  return { errors: previous[heard.length] as number, words: expected.length };
}

/** WER over several utterances: total errors over total reference words. */
export function wordErrorRate(pairs: readonly { readonly reference: string; readonly hypothesis: string }[]): number {
  let errors = 0;
  let words = 0;
  for (const pair of pairs) {
    const counted = wordErrors(pair.reference, pair.hypothesis);
    errors += counted.errors;
    words += counted.words;
  }
  return words === 0 ? 0 : errors / words;
}
