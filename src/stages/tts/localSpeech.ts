/** `tts kokoro` and `tts facebookMMS`, seen from the page: the model in its worker, one sentence batch at a time. */
import { probeGpu } from '../../models/capabilities';
import type { LoadProgress } from '../../models/loadProgress';
import { modelsBase } from '../../models/modelLocation';
import { chooseRuntime, type Runtime } from '../../models/runtimePolicy';
import { transformersLocation } from '../../models/transformersLocation';
import { bundledOrtWasm } from '../../models/ortWasmFiles';
import type { Settings } from '../../settings/schema';
import type { StageError } from '../../worker/stageError';
import { WorkerClient } from '../../worker/workerClient';
import type { TtsEngineChoice, TtsProtocol } from './ttsProtocol';

/** What to load: the model and the engine that speaks it. */
export interface LocalVoiceModel {
  readonly modelId: string;
  readonly engine: 'kokoro' | 'mms';
}

/** How Kokoro speaks a batch (MMS has one voice per model). */
export interface KokoroVoice {
  readonly voice: string;
  readonly speed: number;
}

export type LocalSpeechSettings = Pick<Settings, 'device' | 'kokoro_device' | 'kokoro_voice' | 'facebook_mms_device' | 'facebook_mms_torch_dtype' | 'models_base_url'>;

export class LocalSpeech {
  private constructor(
    private readonly worker: WorkerClient<TtsProtocol>,
    readonly runtime: Runtime,
    /** The voices the engine can speak (Kokoro's); empty for MMS. */
    readonly voices: readonly string[],
  ) {}

  /** `onStopped`: the loaded model cannot speak any more (its worker crashed, stopped answering, lost its GPU). */
  static async load(model: LocalVoiceModel, settings: LocalSpeechSettings, outputRate: number, onProgress: (progress: LoadProgress) => void, onStopped?: (error: StageError) => void): Promise<LocalSpeech> {
    const runtime = chooseRuntime(model.engine, settings, await probeGpu());
    const engine: TtsEngineChoice = model.engine === 'kokoro' ? { kind: 'kokoro', modelsBase: modelsBase(settings.models_base_url, location.href).href, voice: settings.kokoro_voice } : { kind: 'mms' };
    const worker = new WorkerClient<TtsProtocol>(new Worker(new URL('../../../workers/tts.worker.ts', import.meta.url), { type: 'module', name: 'tts' }), 'text-to-speech', { onProgress, ...(onStopped ? { onFailed: onStopped } : {}) });
    const { voices } = await worker.load({
      modelId: model.modelId,
      engine,
      runtime,
      location: transformersLocation(settings.models_base_url, location.href),
      ortWasm: bundledOrtWasm(),
      outputRate,
    });
    return new LocalSpeech(worker, runtime, voices);
  }

  /** Speech for one batch, at the speakers' rate. */
  speak(text: string, voice: KokoroVoice, signal: AbortSignal): Promise<Float32Array> {
    return this.worker.request({ text, ...voice }, { signal });
  }

  dispose(): void {
    this.worker.terminate();
  }
}
