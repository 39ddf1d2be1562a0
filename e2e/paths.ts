import { join, resolve } from 'node:path';

/** The shared test models and clips, beside this repository (or where $S2S_SHARED_MODELS says). */
export const SHARED_MODELS = resolve(process.env.S2S_SHARED_MODELS ?? join(import.meta.dirname, '../../shared/models'));

/**
 * Link settings for the reply in tests that are about something else: the SmolLM2-shaped stand-in
 * (random weights, so it never stops by itself: a few tokens only) and the Kokoro-shaped one, from
 * shared/models.
 */
export const TEST_TTS = 'kokoro_model_name=test/tiny-random-kokoro&kokoro_voice=af_heart';
export const TEST_LLM = `model_name=test/tiny-random-smollm2&llm_torch_dtype=fp32&llm_gen_max_new_tokens=8&${TEST_TTS}`;
