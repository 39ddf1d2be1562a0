/**
 * Streamed reply text into speech chunks, as the reference's LLM stage does
 * (`LLM/base_openai_compatible_language_model.py`, `LLM/utils.py`): characters TTS cannot speak
 * are removed from each delta; the text is split into sentences with markdown code and emphasis
 * protected; a sentence is complete once the next one has started; markdown is stripped per
 * complete sentence; sentences go out in batches of `stream_batch_sentences`, joined by spaces,
 * and what is left goes out when the stream ends. (When the first batch may be spoken is the
 * turn's business, not the batcher's: the reference's first flush is no different.)
 *
 * Sentences come from Intl.Segmenter rather than NLTK: it also ends a sentence at a line break,
 * so each list item or heading is spoken as its own sentence.
 */

/** Curly quotes become plain ones; then everything but these is dropped (the reference's SPEECHABLE_PATTERN). */
const SMART_PUNCTUATION: Readonly<Record<string, string>> = { '‘': "'", '’': "'", '“': '"', '”': '"' };
const UNSPEAKABLE = /[^\p{L}\p{M}\p{N}_\s.,!?;:'"\-()/\\@#%&*+=$€£¥₹₽¢[\]{}<>~`^|…—–，。！？；：、]/gu;

export function removeUnspeakable(text: string): string {
  return text.replace(/[‘’“”]/g, (mark) => SMART_PUNCTUATION[mark] ?? mark).replace(UNSPEAKABLE, '');
}

const FENCED_CODE = /^[ \t]{0,3}`{3,}[^\r\n]*\r?\n(?<body>[\s\S]*?)^[ \t]{0,3}`{3,}[ \t]*$/gm;
const INLINE_CODE = /(?<ticks>`+)(?<body>[^\n]*?)\k<ticks>/g;
const EMPHASIS = /(?<![\p{L}\p{N}_*])(?<delimiter>\*{1,3}|_{1,2})(?![*_])(?<body>\S(?:[^\n]*?\S)??)\k<delimiter>(?![\p{L}\p{N}_*])/gu;
const HEADING = /^[ \t]{0,3}#{1,6}(?:[ \t]+|$)/gm;
const BULLET = /^[ \t]{0,3}[-*+][ \t]+/gm;

function hasUnclosedFence(text: string): boolean {
  return (text.match(/^[ \t]{0,3}`{3,}/gm)?.length ?? 0) % 2 === 1;
}

/** Replaces each match by a placeholder the sentence splitter cannot break, and returns how to put them back. */
function protect(text: string, pattern: RegExp, kind: string, keep: (match: string, groups: Record<string, string>) => string): { text: string; restore: (s: string) => string } {
  const saved: string[] = [];
  const replaced = text.replace(pattern, (...args: unknown[]) => {
    saved.push(keep(args[0] as string, args.at(-1) as Record<string, string>));
    return `\u0000${kind}${saved.length - 1}\u0000`;
  });
  const placeholder = new RegExp(`\\u0000${kind}(\\d+)\\u0000`, 'g');
  return { text: replaced, restore: (s) => s.replace(placeholder, (_, index: string) => saved[Number(index)] ?? '') };
}

const whole = (match: string) => match;
const body = (_match: string, groups: Record<string, string>) => groups.body ?? '';

/** Titles after which a full stop does not end the sentence (ICU breaks after them; NLTK's Punkt knows better). */
const TITLES = /(?:^|\s)(?:Mr|Mrs|Ms|Dr|Prof|Sr|Jr|St|Mt|Gen|Col|Capt|Lt|Sgt|Rev|Hon|vs|No|Fig|Vol)\.\s*$/;

const segmenter = new Intl.Segmenter('en', { granularity: 'sentence' });

/** Sentences of `text`, with markdown code and emphasis kept whole; an unclosed code fence is not split. */
export function splitSentences(text: string): string[] {
  if (hasUnclosedFence(text)) return [text];
  const fenced = protect(text, FENCED_CODE, 'fence', whole);
  const inline = protect(fenced.text, INLINE_CODE, 'inline', whole);
  const emphasis = protect(inline.text, EMPHASIS, 'emphasis', whole);
  const sentences: string[] = [];
  for (const { segment } of segmenter.segment(emphasis.text)) {
    const previous = sentences.at(-1);
    if (previous !== undefined && TITLES.test(previous)) sentences[sentences.length - 1] = previous + segment;
    else sentences.push(segment);
  }
  return sentences.map((sentence) => fenced.restore(inline.restore(emphasis.restore(sentence))));
}

/** Markdown as it would be read aloud: code bodies without fences or ticks, no heading marks or bullets, emphasis as plain text. */
export function removeMarkdown(sentence: string): string {
  const fenced = protect(sentence, FENCED_CODE, 'fence', body);
  const inline = protect(fenced.text, INLINE_CODE, 'inline', body);
  const plain = inline.text.replace(HEADING, '').replace(BULLET, '').replace(EMPHASIS, '$<body>');
  return fenced.restore(inline.restore(plain)).trim();
}

/** Collects a streamed reply and hands out speech chunks of `batchSentences` sentences. */
export class SentenceBatcher {
  private buffer = '';
  private batch: string[] = [];
  private readonly batchSentences: number;

  constructor(batchSentences: number) {
    this.batchSentences = Math.max(1, batchSentences);
  }

  /** Takes one streamed delta; returns the chunks now ready (usually none). */
  push(delta: string): string[] {
    this.buffer += removeUnspeakable(delta);
    const sentences = splitSentences(this.buffer);
    if (sentences.length <= 1) return [];
    const chunks: string[] = [];
    for (const sentence of sentences.slice(0, -1)) {
      const spoken = removeMarkdown(sentence);
      if (spoken !== '') this.batch.push(spoken);
      if (this.batch.length >= this.batchSentences) chunks.push(this.flush());
    }
    this.buffer = sentences.at(-1) ?? '';
    return chunks;
  }

  /** The stream ended: what is left, as a last (possibly short) chunk. */
  end(): string[] {
    const rest = removeMarkdown(this.buffer);
    this.buffer = '';
    if (rest !== '') this.batch.push(rest);
    return this.batch.length > 0 ? [this.flush()] : [];
  }

  private flush(): string {
    const text = this.batch.join(' ');
    this.batch = [];
    return text;
  }
}
