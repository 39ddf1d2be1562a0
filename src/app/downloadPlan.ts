/**
 * What starting with these settings would download, stage by stage: the files of each model as
 * its loader fetches them, from `models_base_url`, for the device and dtype the runtime policy
 * picks here. Stages that download nothing say why (a server, the browser's own voice).
 */
import type { GpuCapabilities } from '../models/capabilities';
import type { FileToMeasure } from '../models/measureDownloads';
import { KOKORO_VOICE_CACHE, KOKORO_VOICE_URL } from '../models/modelCache';
import { causalLmFiles, kokoroFiles, mmsFiles, whisperFiles, type ModelFile } from '../models/modelFiles';
import { modelFileUrl, modelsBase, smartTurnModelUrl } from '../models/modelLocation';
import { chooseRuntime, runtimeLabel } from '../models/runtimePolicy';
import type { Settings } from '../settings/schema';
import { DEFAULT_TRANSFORMERS_MODEL } from '../stages/llm';
import { DEFAULT_KOKORO_MODEL, mmsModelId } from '../stages/tts';

export interface PlannedStage {
  readonly stage: 'Listening' | 'Speech to text' | 'Language model' | 'Voice';
  /** What runs, in a few words ("whisper-base, q8 weights on the CPU"). */
  readonly what: string;
  readonly files: readonly FileToMeasure[];
  /** Why its files cannot be named (a model id that is not one): nothing is measured. */
  readonly problem?: string;
}

/** A stage that downloads `files`; a setting its files cannot be built from becomes the stage's problem. */
function planned(stage: PlannedStage['stage'], what: string, files: () => FileToMeasure[]): PlannedStage {
  try {
    return { stage, what, files: files() };
  } catch (error) {
    return { stage, what, files: [], problem: error instanceof Error ? error.message : String(error) };
  }
}

/** `org/whisper-base` → "whisper-base". */
const shortName = (modelId: string) => modelId.split('/').pop() ?? modelId;

function filesOf(base: URL, modelId: string, files: readonly ModelFile[]): FileToMeasure[] {
  return files.map((file) => ({ url: modelFileUrl(base, modelId, file.path), optional: file.optional }));
}

export function planDownloads(settings: Settings, gpu: GpuCapabilities, page: string): PlannedStage[] {
  // A Realtime server runs every stage: nothing comes into the page.
  if (settings.pipeline === 'realtime') return [];
  const base = modelsBase(settings.models_base_url, page);
  const plan: PlannedStage[] = [
    planned('Listening', settings.smart_turn ? 'Silero VAD (part of this site) and Smart Turn' : 'Silero VAD (part of this site)', () => {
      const smartTurn = smartTurnModelUrl(settings, page);
      // Optional: without it turns end on silence alone.
      return smartTurn ? [{ url: smartTurn, optional: true }] : [];
    }),
  ];

  if (settings.stt === 'whisper') {
    const runtime = chooseRuntime('whisper', settings, gpu);
    plan.push(planned('Speech to text', `${shortName(settings.stt_model_name)}, ${runtimeLabel(runtime)}`, () => filesOf(base, settings.stt_model_name, whisperFiles(runtime.dtype))));
  } else {
    plan.push({ stage: 'Speech to text', what: settings.stt === 'openai' ? `a server (${settings.openai_stt_base_url}): nothing to download` : 'your audio goes to the language model: nothing to download', files: [] });
  }

  if (settings.llm_backend === 'transformers') {
    const runtime = chooseRuntime('transformers-llm', settings, gpu);
    const modelId = settings.model_name ?? DEFAULT_TRANSFORMERS_MODEL;
    plan.push(planned('Language model', `${shortName(modelId)}, ${runtimeLabel(runtime)}`, () => filesOf(base, modelId, causalLmFiles(typeof runtime.dtype === 'string' ? runtime.dtype : 'fp32'))));
  } else if (settings.llm_backend === 'web-llm') {
    plan.push({ stage: 'Language model', what: 'web-llm: its download is measured when it loads', files: [] });
  } else {
    plan.push({ stage: 'Language model', what: `a server (${settings.responses_api_base_url ?? 'api.openai.com'}): nothing to download`, files: [] });
  }

  if (settings.tts === 'kokoro') {
    const runtime = chooseRuntime('kokoro', settings, gpu);
    const modelId = settings.kokoro_model_name ?? DEFAULT_KOKORO_MODEL;
    plan.push(
      planned('Voice', `Kokoro (${settings.kokoro_voice}), ${runtimeLabel(runtime)}`, () => {
        const files = filesOf(base, modelId, kokoroFiles(typeof runtime.dtype === 'string' ? runtime.dtype : 'fp32', settings.kokoro_voice));
        // kokoro-js keeps its voices under the hub's address, whatever the models location.
        const voice = files.at(-1);
        if (voice) files[files.length - 1] = { ...voice, cacheKey: { cache: KOKORO_VOICE_CACHE, url: `${KOKORO_VOICE_URL}${settings.kokoro_voice}.bin` } };
        return files;
      }),
    );
  } else if (settings.tts === 'facebookMMS') {
    const runtime = chooseRuntime('mms', settings, gpu);
    const modelId = mmsModelId(settings.tts_language, settings.facebook_mms_model_name);
    plan.push(planned('Voice', `${shortName(modelId)}, ${runtimeLabel(runtime)}`, () => filesOf(base, modelId, mmsFiles(typeof runtime.dtype === 'string' ? runtime.dtype : 'fp32'))));
  } else {
    plan.push({ stage: 'Voice', what: settings.tts === 'openai' ? `a server (${settings.openai_tts_base_url}): nothing to download` : 'the browser’s own voice: nothing to download', files: [] });
  }
  return plan;
}
