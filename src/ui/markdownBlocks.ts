/** One top-level block of a reply's markdown and where it starts in the reply. */
export interface MarkdownBlock {
  readonly text: string;
  readonly start: number;
}

const FENCE = /^ {0,3}(`{3,}|~{3,})/;

/**
 * Splits a reply's markdown at blank lines outside fenced code, so a streamed reply parses only
 * its last block per token and the finished ones render once (a long reply re-parsed whole per
 * token cost seconds of the page's time). Splitting there changes nothing a reply means: a list
 * with blank lines between its items becomes lists that look the same (an ordered one keeps its
 * numbers through its `start`).
 */
export function markdownBlocks(text: string): MarkdownBlock[] {
  const blocks: MarkdownBlock[] = [];
  let fence: string | null = null;
  let start = 0;
  let offset = 0;
  let blank = false;
  for (const line of text.split('\n')) {
    const opener = FENCE.exec(line)?.[1];
    if (fence === null) {
      if (line.trim() === '') blank = true;
      else {
        if (blank && offset > start) {
          blocks.push({ text: text.slice(start, offset), start });
          start = offset;
        }
        blank = false;
        if (opener) fence = opener;
      }
    } else if (opener && opener[0] === fence[0] && opener.length >= fence.length && line.trim() === opener) {
      fence = null;
    }
    offset += line.length + 1;
  }
  if (start < text.length) blocks.push({ text: text.slice(start), start });
  return blocks;
}
