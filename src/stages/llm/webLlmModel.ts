/**
 * Which web-llm model to load: `model_name` from web-llm's prebuilt list (the default when empty),
 * in its q4f16 build only where the adapter has shader-f16, otherwise the q4f32 build of the same
 * model. Unknown ids get a message with close matches.
 */
import type { GpuCapabilities } from '../../models/capabilities';
import { chooseRuntime } from '../../models/runtimePolicy';
import { DEFAULT_WEB_LLM_MODEL, needsShaderF16, type WebLlmModelRecord } from '../../settings/modelIds';
import { LanguageModelLoadError } from './errors';

export { DEFAULT_WEB_LLM_MODEL, needsShaderF16, type WebLlmModelRecord };

export function chooseWebLlmModel(requested: string | null, gpu: GpuCapabilities, models: readonly WebLlmModelRecord[]): { modelId: string; reason: string } {
  if (!gpu.webgpu) throw new LanguageModelLoadError('web-llm needs WebGPU, which this browser does not offer. Choose llm_backend transformers (it runs on WASM too) or an API backend, or use a browser with WebGPU.');
  const asked = requested ?? DEFAULT_WEB_LLM_MODEL;
  const known = new Set(models.map((model) => model.model_id));
  if (!known.has(asked)) {
    const stem = asked.split('-').slice(0, 2).join('-').toLowerCase();
    const similar = [...known].filter((id) => id.toLowerCase().startsWith(stem)).slice(0, 4);
    throw new LanguageModelLoadError(`web-llm has no model "${asked}". Use an id from its prebuilt list${similar.length ? `, such as ${similar.join(', ')}` : ` (for example ${DEFAULT_WEB_LLM_MODEL})`}.`);
  }
  const record = models.find((model) => model.model_id === asked) ?? { model_id: asked };
  // The runtime policy says which builds this GPU compiles: q4f16 needs shader-f16, q4f32 runs anywhere.
  const build = chooseRuntime('web-llm', {}, gpu).dtype;
  if (!needsShaderF16(record) || build === 'q4f16') return { modelId: asked, reason: `${asked} on WebGPU (${gpu.description})` };
  const f32 = asked.replace(/q(\d)f16/, 'q$1f32');
  if (f32 !== asked && known.has(f32)) return { modelId: f32, reason: `${f32}: this GPU has no shader-f16, so the f32 build of ${asked}` };
  throw new LanguageModelLoadError(`${asked} needs shader-f16, which this GPU lacks, and web-llm has no f32 build of it. Choose a q4f32 model.`);
}
