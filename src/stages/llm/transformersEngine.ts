/**
 * A causal language model through transformers.js: the prompt is the model's own chat template
 * applied to the messages, tokens stream out as text while generate() runs, and an interrupt stops
 * it at the next token. The key/value cache outlives the turn (PromptCache), so each turn's
 * prefill covers only what the conversation added since the last one.
 */
import {
  AutoModelForCausalLM,
  AutoTokenizer,
  InterruptableStoppingCriteria,
  TextStreamer,
  type PreTrainedModel,
  type PreTrainedTokenizer,
  type DynamicCache,
  type Tensor,
} from '@huggingface/transformers';
import type { LoadProgress } from '../../models/loadProgress';
import type { Runtime } from '../../models/runtimePolicy';
import { fileProgressCallback, loadFailureReason, loadWithCacheRetry } from '../../models/transformersLoading';
import { LanguageModelLoadError } from './errors';
import { promptedMessages, templateMessages, templateTools } from './localToolFormat';
import { messageText, type Message } from './message';
import { PromptCache } from './promptCache';
import type { ToolSpec } from './tools';

export interface Generation {
  /** Stops the generation after the token being computed. */
  interrupt(): void;
  /** New tokens so far. */
  readonly tokens: number;
  /** Resolves with the number of new tokens once generation has stopped. */
  readonly done: Promise<number>;
  /** The prompt's length in tokens, and how many of them came from the previous turns' cache. */
  readonly promptTokens: number;
  readonly cachedTokens: number;
}

export class TransformersEngine {
  private readonly promptCache = new PromptCache();

  private constructor(
    private readonly tokenizer: PreTrainedTokenizer,
    private readonly model: PreTrainedModel,
  ) {}

  static async load(modelId: string, runtime: Pick<Runtime, 'device' | 'dtype'>, onProgress?: (progress: LoadProgress) => void): Promise<TransformersEngine> {
    try {
      const progress_callback = fileProgressCallback(onProgress);
      const [tokenizer, model] = await loadWithCacheRetry(async () => {
        const loadedTokenizer = await AutoTokenizer.from_pretrained(modelId, { progress_callback });
        return [loadedTokenizer, await AutoModelForCausalLM.from_pretrained(modelId, { device: runtime.device, dtype: runtime.dtype as never, progress_callback })] as const;
      });
      return new TransformersEngine(tokenizer, model);
    } catch (error) {
      const reason = loadFailureReason(error);
      throw new LanguageModelLoadError(`The language model ${modelId} could not be loaded (${reason}). Check model_name (an ONNX text-generation model), llm_torch_dtype, models_base_url and your connection.`, { cause: error });
    }
  }

  /**
   * The text the model is given: its chat template over the messages, ready for the assistant's
   * turn. With tools: the template's own tool route where it takes `tools`, else the tools told in
   * the system prompt (see localToolFormat).
   */
  prompt(messages: readonly Message[], tools: readonly ToolSpec[] = []): string {
    const template = this.tokenizer.get_chat_template();
    const takesTools = /\btools\b/.test(template);
    if (tools.length > 0 && takesTools) {
      return this.tokenizer.apply_chat_template<false, false, false>(templateMessages(messages), { tokenize: false, add_generation_prompt: true, tools: templateTools(tools) });
    }
    const plain = tools.length > 0 ? promptedMessages(messages, tools) : messages.some((message) => message.tool_calls || message.role === 'tool') ? promptedMessages(messages, []) : messages.map((message) => ({ role: message.role, content: messageText(message) }));
    return this.tokenizer.apply_chat_template<false, false, false>(plain, { tokenize: false, add_generation_prompt: true });
  }

  /** Starts generating; `onText` gets each decoded piece of the reply. */
  generate(messages: readonly Message[], options: Record<string, unknown>, onText: (text: string) => void, tools: readonly ToolSpec[] = []): Generation {
    const stopping = new InterruptableStoppingCriteria();
    let tokens = 0;
    const streamer = new TextStreamer(this.tokenizer, {
      skip_prompt: true,
      skip_special_tokens: true,
      callback_function: onText,
      token_callback_function: () => {
        tokens++;
      },
    });
    const inputs = this.tokenizer(this.prompt(messages, tools), { add_special_tokens: false }) as { input_ids: Tensor; attention_mask: Tensor };
    const prompt = (inputs.input_ids.tolist() as bigint[][])[0] ?? [];
    const { cache, reused } = this.promptCache.take(prompt);
    // The whole prompt goes in with the cache: generate() runs only the tokens the cache lacks.
    const done = this.model
      .generate({ ...inputs, ...options, streamer, stopping_criteria: stopping, return_dict_in_generate: true, ...(cache ? { past_key_values: cache } : {}) })
      .then((output) => {
        const { sequences, past_key_values } = output as { sequences: Tensor; past_key_values: DynamicCache };
        this.promptCache.keep((sequences.tolist() as bigint[][])[0] ?? [], past_key_values);
        return tokens;
      })
      .catch(async (error: unknown) => {
        // A failed generation leaves the cache it was handed half grown: free it (on the GPU it holds buffers).
        await cache?.dispose();
        throw error;
      });
    return {
      interrupt: () => stopping.interrupt(),
      get tokens() {
        return tokens;
      },
      done,
      promptTokens: prompt.length,
      cachedTokens: reused,
    };
  }

  async dispose(): Promise<void> {
    await this.promptCache.clear();
    await this.model.dispose();
  }
}
