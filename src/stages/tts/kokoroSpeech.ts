/** `tts kokoro`, seen from the page: Kokoro in its worker, one sentence batch at a time. */
import { chooseDevice, probeGpu } from '../../models/capabilities';
import { modelsBase } from '../../models/modelLocation';
import type { FileProgress } from '../../models/transformersLoading';
import { transformersLocation } from '../../models/transformersLocation';
import { bundledOrtWasm } from '../../models/transformersRuntime';
import type { Settings } from '../../settings/schema';
import type { SpeechSynthesis } from '../../pipeline/replySpeech';
import { DEFAULT_KOKORO_MODEL, type KokoroRuntime } from './kokoroEngine';
import type { TtsCommand, TtsMessage } from './ttsProtocol';

type KokoroSettings = Pick<Settings, 'kokoro_model_name' | 'kokoro_device' | 'device' | 'kokoro_voice' | 'kokoro_speed' | 'models_base_url'>;

/** WebGPU (fp32: Kokoro's fp16 and q4 builds sound wrong on it) where usable, else WASM with q8 weights. */
export function chooseKokoroRuntime(settings: Pick<KokoroSettings, 'device' | 'kokoro_device'>, gpu: Parameters<typeof chooseDevice>[1]): KokoroRuntime {
  const { device, reason } = chooseDevice(settings.device ?? settings.kokoro_device, gpu);
  return device === 'webgpu' ? { device, dtype: 'fp32', reason: `${reason}, fp32` } : { device, dtype: 'q8', reason: `${reason}, q8` };
}

export class KokoroSpeech implements SpeechSynthesis {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (samples: Float32Array) => void; reject: (error: Error) => void }>();

  private constructor(
    private readonly worker: Worker,
    private settings: KokoroSettings,
    readonly runtime: KokoroRuntime,
  ) {}

  static async load(settings: KokoroSettings, outputRate: number, onProgress: (progress: FileProgress) => void): Promise<KokoroSpeech> {
    const runtime = chooseKokoroRuntime(settings, await probeGpu());
    const worker = new Worker(new URL('../../../workers/tts.worker.ts', import.meta.url), { type: 'module', name: 'tts' });
    const speech = new KokoroSpeech(worker, settings, runtime);
    await new Promise<void>((resolve, reject) => {
      worker.onerror = (event) => {
        event.preventDefault();
        reject(new Error(`The text-to-speech worker failed (${event.message || 'script error'}). Reload the page.`));
      };
      worker.onmessage = (event: MessageEvent<TtsMessage>) => {
        const message = event.data;
        if (message.kind === 'progress') onProgress(message.progress);
        else if (message.kind === 'ready') resolve();
        else if (message.kind === 'load-failed') reject(new Error(message.message));
        else speech.settle(message);
      };
      const load: TtsCommand = {
        kind: 'load',
        modelId: settings.kokoro_model_name ?? DEFAULT_KOKORO_MODEL,
        runtime,
        location: transformersLocation(settings.models_base_url, location.href),
        ortWasm: bundledOrtWasm(),
        modelsBase: modelsBase(settings.models_base_url, location.href).href,
        outputRate,
      };
      worker.postMessage(load);
    }).catch((error: unknown) => {
      worker.terminate();
      throw error;
    });
    return speech;
  }

  /** Voice and speed changes apply from the next batch. */
  configure(settings: KokoroSettings): void {
    this.settings = settings;
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
      this.post({ kind: 'speak', id, text, voice: this.settings.kokoro_voice, speed: this.settings.kokoro_speed });
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
