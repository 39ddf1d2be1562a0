/** `tts kokoro` and `tts facebookMMS`, seen from the page: the model in its worker, one sentence batch at a time. */
import { chooseDevice, probeGpu } from '../../models/capabilities';
import { modelsBase } from '../../models/modelLocation';
import type { FileProgress } from '../../models/transformersLoading';
import { transformersLocation } from '../../models/transformersLocation';
import { bundledOrtWasm } from '../../models/transformersRuntime';
import type { Settings } from '../../settings/schema';
import type { SpeechSynthesis } from '../../pipeline/replySpeech';
import type { KokoroRuntime } from './kokoroEngine';
import type { MmsRuntime } from './mmsEngine';
import type { TtsCommand, TtsEngineChoice, TtsMessage } from './ttsProtocol';

/** WebGPU (fp32: Kokoro's fp16 and q4 builds sound wrong on it) where usable, else WASM with q8 weights. */
export function chooseKokoroRuntime(settings: Pick<Settings, 'device' | 'kokoro_device'>, gpu: Parameters<typeof chooseDevice>[1]): KokoroRuntime {
  const { device, reason } = chooseDevice(settings.device ?? settings.kokoro_device, gpu);
  return device === 'webgpu' ? { device, dtype: 'fp32', reason: `${reason}, fp32` } : { device, dtype: 'q8', reason: `${reason}, q8` };
}

/** The same rule for MMS, unless `facebook_mms_torch_dtype` names the weights. */
export function chooseMmsRuntime(settings: Pick<Settings, 'device' | 'facebook_mms_device' | 'facebook_mms_torch_dtype'>, gpu: Parameters<typeof chooseDevice>[1]): MmsRuntime {
  const { device, reason } = chooseDevice(settings.device ?? settings.facebook_mms_device, gpu);
  const asked = settings.facebook_mms_torch_dtype;
  const dtype = asked !== 'auto' ? asked : device === 'webgpu' ? 'fp32' : 'q8';
  return { device, dtype, reason: `${reason}, ${dtype}` };
}

/** What to load: the model and the engine that speaks it. */
export interface LocalVoiceModel {
  readonly modelId: string;
  readonly engine: 'kokoro' | 'mms';
}

export class LocalSpeech implements SpeechSynthesis {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (samples: Float32Array) => void; reject: (error: Error) => void }>();
  private voice = '';
  private speed = 1;
  /** The voices the engine can speak (Kokoro's); empty for MMS. */
  voices: readonly string[] = [];

  private constructor(
    private readonly worker: Worker,
    readonly runtime: { readonly reason: string },
  ) {}

  static async load(model: LocalVoiceModel, settings: Settings, outputRate: number, onProgress: (progress: FileProgress) => void): Promise<LocalSpeech> {
    const gpu = await probeGpu();
    const engine: TtsEngineChoice =
      model.engine === 'kokoro'
        ? { kind: 'kokoro', runtime: chooseKokoroRuntime(settings, gpu), modelsBase: modelsBase(settings.models_base_url, location.href).href }
        : { kind: 'mms', runtime: chooseMmsRuntime(settings, gpu) };
    const worker = new Worker(new URL('../../../workers/tts.worker.ts', import.meta.url), { type: 'module', name: 'tts' });
    const speech = new LocalSpeech(worker, engine.runtime);
    await new Promise<void>((resolve, reject) => {
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`The text-to-speech worker failed (${event.message || 'script error'}). Reload the page.`));
      };
      worker.onmessage = (event: MessageEvent<TtsMessage>) => {
        const message = event.data;
        if (message.kind === 'progress') onProgress(message.progress);
        else if (message.kind === 'ready') {
          speech.voices = message.voices;
          resolve();
        } else if (message.kind === 'load-failed') reject(new Error(message.message));
        else speech.settle(message);
      };
      const load: TtsCommand = {
        kind: 'load',
        modelId: model.modelId,
        engine,
        location: transformersLocation(settings.models_base_url, location.href),
        ortWasm: bundledOrtWasm(),
        outputRate,
      };
      worker.postMessage(load);
    }).catch((error: unknown) => {
      worker.terminate();
      throw error;
    });
    return speech;
  }

  /** Kokoro's voice and speed; they apply from the next batch. */
  configure(voice: string, speed: number): void {
    this.voice = voice;
    this.speed = speed;
  }

  speak(text: string, signal: AbortSignal): Promise<Float32Array> {
    const id = this.nextId++;
    return new Promise<Float32Array>((resolve, reject) => {
      const abort = () => {
        this.pending.delete(id);
        this.post({ kind: 'cancel', id });
        reject(signal.reason instanceof Error ? signal.reason : new DOMException('The reply was stopped.', 'AbortError'));
      };
      if (signal.aborted) {
        abort();
        return;
      }
      signal.addEventListener('abort', abort, { once: true });
      this.pending.set(id, {
        resolve: (samples) => {
          signal.removeEventListener('abort', abort);
          resolve(samples);
        },
        reject: (error) => {
          signal.removeEventListener('abort', abort);
          reject(error);
        },
      });
      this.post({ kind: 'speak', id, text, voice: this.voice, speed: this.speed });
    });
  }

  dispose(): void {
    this.worker.terminate();
    for (const { reject } of this.pending.values()) reject(new Error('Text to speech was stopped.'));
    this.pending.clear();
  }

  private settle(message: Extract<TtsMessage, { kind: 'audio' | 'error' }>): void {
    const pending = this.pending.get(message.id);
    this.pending.delete(message.id);
    if (message.kind === 'audio') pending?.resolve(message.samples);
    else pending?.reject(new Error(message.message));
  }

  private post(command: TtsCommand): void {
    this.worker.postMessage(command);
  }
}
