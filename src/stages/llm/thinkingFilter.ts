/**
 * Keeps a model's reasoning out of what is spoken: text between <think> and </think> is dropped
 * from a stream of deltas, even when a tag arrives split across deltas. (Reasoning that comes as
 * separate stream events is dropped by the backend that receives it.)
 */

const OPEN = '<think>';
const CLOSE = '</think>';

export class ThinkingFilter {
  private thinking = false;
  /** Text held back because it may be the start of a tag. */
  private pending = '';

  /** The speakable part of one delta. */
  push(delta: string): string {
    let text = this.pending + delta;
    this.pending = '';
    let out = '';
    for (;;) {
      const tag = this.thinking ? CLOSE : OPEN;
      const at = text.indexOf(tag);
      if (at >= 0) {
        if (!this.thinking) out += text.slice(0, at);
        text = text.slice(at + tag.length);
        this.thinking = !this.thinking;
        continue;
      }
      // Hold back a tail that could be the beginning of the tag.
      let keep = 0;
      for (let length = Math.min(tag.length - 1, text.length); length > 0; length--) {
        if (tag.startsWith(text.slice(text.length - length))) {
          keep = length;
          break;
        }
      }
      if (!this.thinking) out += text.slice(0, text.length - keep);
      this.pending = text.slice(text.length - keep);
      return out;
    }
  }

  /** The stream ended: text held back that turned out not to be a tag. */
  end(): string {
    const rest = this.thinking ? '' : this.pending;
    this.pending = '';
    this.thinking = false;
    return rest;
  }
}
