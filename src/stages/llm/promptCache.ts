/**
 * The language model's key/value cache of the conversation so far, kept from one turn to the next,
 * so that a turn's prefill covers only the new words: the reply just given and the user's new
 * turn, not the system prompt and the whole window again.
 *
 * A prompt reuses the longest run of tokens it shares with what the cache holds. When the
 * conversation changed earlier on (a reply cut short by a barge-in and kept as heard, a window that
 * slid, a new system prompt), a plain attention cache held in memory is cut back to the shared
 * part; a cache that cannot be cut (held on the GPU, or with a model's recurrent state that covers
 * every token) is kept only when the new prompt continues it exactly, and otherwise dropped.
 */
import { DynamicCache, type Tensor } from '@huggingface/transformers';

export interface CacheTake {
  /** The cache to continue from, or null to start afresh. */
  readonly cache: DynamicCache | null;
  /** How many of the prompt's tokens it already holds. */
  readonly reused: number;
}

export class PromptCache {
  /** The tokens the cache holds, in order. */
  private tokens: readonly bigint[] = [];
  private cache: DynamicCache | null = null;

  /**
   * The cache for a prompt of these tokens. It is handed over: generation grows it in place, so
   * it is held again only through `keep` once generation has finished well.
   */
  take(prompt: readonly bigint[]): CacheTake {
    const cache = this.cache;
    const held = this.tokens;
    this.cache = null;
    this.tokens = [];
    if (!cache) return { cache: null, reused: 0 };
    // At least one token must be left to run: the model's answer starts from its last logits.
    const usable = Math.min(sharedLength(held, prompt), prompt.length - 1);
    if (usable === held.length) return { cache, reused: usable };
    const cut = usable > 0 ? cutBack(cache, held.length, usable) : null;
    if (!cut) void cache.dispose();
    return cut ? { cache: cut, reused: usable } : { cache: null, reused: 0 };
  }

  /** Holds the cache a finished generation left, covering the first tokens of its sequence. */
  keep(sequence: readonly bigint[], cache: DynamicCache): void {
    const length = cache.get_seq_length();
    if (length > sequence.length) {
      void cache.dispose();
      return;
    }
    this.tokens = sequence.slice(0, length);
    this.cache = cache;
  }

  async clear(): Promise<void> {
    const cache = this.cache;
    this.cache = null;
    this.tokens = [];
    await cache?.dispose();
  }
}

function sharedLength(a: readonly bigint[], b: readonly bigint[]): number {
  const limit = Math.min(a.length, b.length);
  let index = 0;
  while (index < limit && a[index] === b[index]) index++;
  return index;
}

/**
 * The cache cut back to its first `length` tokens, or null where it cannot be: every entry must
 * be a plain attention key or value ([batch, heads, tokens, head size]) held in memory.
 */
function cutBack(cache: DynamicCache, held: number, length: number): DynamicCache | null {
  const entries = Object.entries(cache as Record<string, Tensor>);
  const plain = entries.every(([name, tensor]) => name.startsWith('past_key_values.') && tensor.location === 'cpu' && tensor.dims.length === 4 && tensor.dims[2] === held);
  if (!plain) return null;
  return new DynamicCache(Object.fromEntries(entries.map(([name, tensor]) => [name, tensor.slice(null, null, [0, length], null)])));
}
