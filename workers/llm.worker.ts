/**
 * The `transformers` language model worker: one generation at a time, in order; a cancel stops
 * the running one at its next token (the engine is free again right after) or drops a waiting one.
 */
import { watchGpuDevice } from '../src/models/gpuDeviceWatch';
import { GPU_LOST } from '../src/models/gpuLoss';
import { configureLocation } from '../src/models/transformersLoading';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { LlmRequestError } from '../src/stages/llm/errors';
import type { LlmLoad, LlmProtocol } from '../src/stages/llm/llmProtocol';
import { TransformersEngine } from '../src/stages/llm/transformersEngine';
import { RequestQueue } from '../src/worker/requestQueue';
import { errorMessage } from '../src/worker/stageError';
import { hostStage } from '../src/worker/workerHost';

let engine: TransformersEngine | null = null;
const queue = new RequestQueue();

const host = hostStage<LlmProtocol>(self, {
  async load(command: LlmLoad, progress) {
    const began = performance.now();
    useLocalOnnxRuntime(command.ortWasm);
    configureLocation(command.location, (url) => progress({ file: url.split('/').pop() ?? url, loaded: 0, total: null, done: true, storageFull: true }));
    engine = await TransformersEngine.load(command.modelId, command.runtime, progress);
    if (command.runtime.device === 'webgpu') watchGpuDevice((message) => host.fail(GPU_LOST, message));
    return { loadMs: performance.now() - began };
  },

  request({ messages, options, tools }, context) {
    return queue.run(context.signal, async (signal) => {
      if (!engine) throw new LlmRequestError('the language model is not loaded.');
      const began = performance.now();
      const generation = engine.generate(messages, options, (text) => context.partial(text), tools);
      signal.addEventListener('abort', () => generation.interrupt(), { once: true });
      try {
        const tokens = await generation.done;
        return { result: { tokens, ms: performance.now() - began, promptTokens: generation.promptTokens, cachedTokens: generation.cachedTokens } };
      } catch (error) {
        throw new LlmRequestError(`the language model failed while generating (${errorMessage(error)})`, { cause: error });
      }
    });
  },
});
