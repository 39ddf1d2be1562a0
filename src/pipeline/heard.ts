/**
 * What the user heard of a reply cut short, in both pipelines: the reply's parts in order, each
 * with its audio (samples queued and played); whole parts played count, and of the part playing,
 * the share of its words its played samples cover. Counted in samples, not time, so a reply played
 * faster or slower than real time is judged by what actually came out of the speakers.
 */
export interface HeardPart {
  readonly text: string;
  /** Its audio, in samples (0: not queued yet, so not heard). */
  readonly samples: number;
  readonly played: number;
  /** Its audio has played to the end. */
  readonly ended: boolean;
}

export function heardWords(parts: readonly HeardPart[]): string {
  const words: string[] = [];
  for (const part of parts) {
    if (part.samples === 0) continue;
    const partWords = part.text.split(/\s+/).filter(Boolean);
    const share = part.ended ? 1 : Math.min(1, part.played / part.samples);
    words.push(...partWords.slice(0, Math.floor(partWords.length * share)));
    if (!part.ended) break;
  }
  return words.join(' ');
}
