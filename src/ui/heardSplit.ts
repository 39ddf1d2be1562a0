/**
 * Where the words the user heard of an interrupted reply end in its text, so the page can mark
 * the rest as not heard. The heard words come from what was spoken (markdown stripped, sentence
 * batches), so they are found in the reply's text one after another, whatever lies between.
 */
export function splitHeard(reply: string, heard: string): { readonly heard: string; readonly rest: string } | null {
  let cursor = 0;
  for (const word of heard.split(/\s+/).filter(Boolean)) {
    const at = reply.indexOf(word, cursor);
    if (at < 0) return null;
    cursor = at + word.length;
  }
  return { heard: reply.slice(0, cursor), rest: reply.slice(cursor) };
}
