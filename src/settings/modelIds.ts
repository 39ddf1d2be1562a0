/**
 * The reference's model ids, made to run in the browser. Its documented examples name models the
 * browser cannot load as they are: an MLX build for mlx-lm (`mlx-community/Qwen3-4B-Instruct-2507-bf16`)
 * where web-llm needs a build of its own list (`Qwen3-4B-q4f16_1-MLC`), and PyTorch repositories
 * for transformers (`Qwen/Qwen3-4B-Instruct-2507`) where transformers.js needs ONNX weights. For
 * web-llm the page maps the id to web-llm's build of the same model, offline, from web-llm's own
 * list; for transformers.js it says so at import, and the panel finds the ONNX builds of that
 * base model on the hub (models/onnxBuilds.ts).
 */
import WEB_LLM_MODELS from './webLlmModels.json';

/** Llama 3.2 1B Instruct: small enough for most GPUs (about 0.9 GB of VRAM at q4f16), and a good talker for its size. */
export const DEFAULT_WEB_LLM_MODEL = 'Llama-3.2-1B-Instruct-q4f16_1-MLC';

/** The reference's default API model. */
export const DEFAULT_API_MODEL = 'gpt-5.6-terra';

/**
 * SmolLM2-360M-Instruct: an instruct model small enough to download and answer at speaking pace
 * on WASM, with ONNX weights (q4f16, q4, q8) published in its own repository.
 */
export const DEFAULT_TRANSFORMERS_MODEL = 'HuggingFaceTB/SmolLM2-360M-Instruct';

/** A build in web-llm's prebuilt list, as far as the page reads it. */
export interface WebLlmModelRecord {
  readonly model_id: string;
  readonly vram_required_MB?: number;
  readonly required_features?: readonly string[];
}

/** Whether a build needs shader-f16: its id says f16 weights, or web-llm's record asks for the feature. */
export function needsShaderF16(model: WebLlmModelRecord): boolean {
  return /q\df16/.test(model.model_id) || (model.required_features ?? []).includes('shader-f16');
}

export interface WebLlmModel {
  readonly model_id: string;
  readonly vram_required_MB?: number;
  readonly required_features?: readonly string[];
}

/** web-llm's prebuilt list, as the installed web-llm has it (scripts/web-llm-models.mjs). */
export const WEB_LLM_LIST: readonly WebLlmModel[] = WEB_LLM_MODELS;

/** A build's model, without its quantization: Qwen3-4B-q4f16_1-MLC -> qwen3-4b. */
const stemOf = (modelId: string) => modelId.replace(/-q\d+f\d+(_\d+)?-MLC$/i, '').toLowerCase();

/**
 * Names a reference model id may stand for, most precise first: the repository name without its
 * weight format (-bf16, -4bit, -MLX, -GGUF), then without a release date (-2507), then without
 * -Instruct (web-llm names some instruct models by the base name alone).
 */
function candidateStems(modelName: string): string[] {
  const name = (modelName.split('/').pop() ?? modelName).toLowerCase();
  const bare = name.replace(/-(bf16|fp16|fp32|f16|\d+bit|mlx|gguf|onnx|awq|gptq|int4|int8)$/g, '').replace(/-(bf16|fp16|\d+bit|mlx)$/g, '');
  const undated = bare.replace(/-\d{4}$/, '');
  const base = undated.replace(/-instruct$/, '');
  return [...new Set([bare, undated, base])];
}

export interface WebLlmMapping {
  /** The build the browser runs (q4f16; web-llm's q4f32 build is used where the GPU lacks shader-f16). */
  readonly modelId: string;
  /** Every build of the same model in web-llm's list, with the GPU memory each needs. */
  readonly builds: readonly WebLlmModel[];
}

/** web-llm's build of the model a reference id names, or null where web-llm has none. */
export function webLlmBuildOf(modelName: string): WebLlmMapping | null {
  if (WEB_LLM_LIST.some((model) => model.model_id === modelName)) return null;
  for (const stem of candidateStems(modelName)) {
    const builds = WEB_LLM_LIST.filter((model) => stemOf(model.model_id) === stem);
    if (builds.length === 0) continue;
    const preferred = builds.find((model) => /-q4f16_1-MLC$/.test(model.model_id)) ?? builds.find((model) => /-q4f32_1-MLC$/.test(model.model_id)) ?? builds[0];
    if (preferred) return { modelId: preferred.model_id, builds };
  }
  return null;
}

export function isWebLlmModel(modelName: string): boolean {
  return WEB_LLM_LIST.some((model) => model.model_id === modelName);
}

/** What an id of another format says about itself, for a transformers.js model_name. */
export function foreignFormat(modelName: string): string | null {
  if (/^mlx-community\/|-mlx$|-\d+bit$/i.test(modelName)) return 'an MLX build (for mlx-lm on Apple Silicon)';
  if (/gguf/i.test(modelName)) return 'a GGUF build (for llama.cpp)';
  if (isWebLlmModel(modelName)) return 'a web-llm build';
  return null;
}
