import { DynamicCache, Tensor } from '@huggingface/transformers';
import { describe, expect, it } from 'vitest';
import { PromptCache } from './promptCache';

/** A one-layer attention cache over `length` tokens whose values number the token positions. */
function attentionCache(length: number, extra: Record<string, Tensor> = {}): DynamicCache {
  const values = (offset: number) => new Tensor('float32', Float32Array.from({ length: 2 * length }, (_, index) => offset + Math.floor(index / 2)), [1, 1, length, 2]);
  return new DynamicCache({ 'past_key_values.0.key': values(0), 'past_key_values.0.value': values(100), ...extra });
}

const ids = (...values: number[]) => values.map(BigInt);

describe('PromptCache', () => {
  it('has nothing to give before a generation has finished', () => {
    expect(new PromptCache().take(ids(1, 2, 3))).toEqual({ cache: null, reused: 0 });
  });

  it('gives the whole cache back to a prompt that continues it', () => {
    const promptCache = new PromptCache();
    const cache = attentionCache(4);
    promptCache.keep(ids(1, 2, 3, 4, 5), cache);
    const taken = promptCache.take(ids(1, 2, 3, 4, 5, 6, 7));
    expect(taken.cache).toBe(cache);
    expect(taken.reused).toBe(4);
  });

  it('cuts the cache back to the tokens a changed conversation still shares', () => {
    const promptCache = new PromptCache();
    promptCache.keep(ids(1, 2, 3, 4, 5), attentionCache(4));
    const taken = promptCache.take(ids(1, 2, 9, 9, 9));
    expect(taken.reused).toBe(2);
    const key = (taken.cache as Record<string, Tensor> | null)?.['past_key_values.0.key'];
    expect(key?.dims).toEqual([1, 1, 2, 2]);
    expect(Array.from(key?.data as Float32Array)).toEqual([0, 0, 1, 1]);
    expect(taken.cache?.get_seq_length()).toBe(2);
  });

  it('leaves at least the prompt’s last token to run', () => {
    const promptCache = new PromptCache();
    promptCache.keep(ids(1, 2, 3, 4, 5), attentionCache(4));
    const taken = promptCache.take(ids(1, 2, 3, 4));
    expect(taken.reused).toBe(3);
    expect(taken.cache?.get_seq_length()).toBe(3);
  });

  it('drops a cache with recurrent state when the conversation changed, and keeps it when continued', () => {
    const recurrent = () => ({ 'past_conv.0': new Tensor('float32', new Float32Array(4), [1, 4]) });
    const changed = new PromptCache();
    changed.keep(ids(1, 2, 3, 4, 5), attentionCache(4, recurrent()));
    expect(changed.take(ids(1, 2, 9, 9))).toEqual({ cache: null, reused: 0 });

    const continued = new PromptCache();
    const cache = attentionCache(4, recurrent());
    continued.keep(ids(1, 2, 3, 4, 5), cache);
    expect(continued.take(ids(1, 2, 3, 4, 5, 6)).cache).toBe(cache);
  });

  it('is handed over: a second prompt finds nothing until the generation keeps its cache again', () => {
    const promptCache = new PromptCache();
    promptCache.keep(ids(1, 2, 3), attentionCache(2));
    expect(promptCache.take(ids(1, 2, 3, 4)).reused).toBe(2);
    expect(promptCache.take(ids(1, 2, 3, 4)).reused).toBe(0);
  });

  it('shares nothing with a prompt that differs from the first token', () => {
    const promptCache = new PromptCache();
    promptCache.keep(ids(1, 2, 3), attentionCache(2));
    expect(promptCache.take(ids(7, 2, 3, 4))).toEqual({ cache: null, reused: 0 });
  });
});
