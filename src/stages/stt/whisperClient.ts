/** Whisper in its worker, seen from the page: a Transcriber whose results come back as events. */
import { probeGpu } from '../../models/capabilities';
import { chooseRuntime } from '../../models/runtimePolicy';
import { transformersLocation } from '../../models/transformersLocation';
import { bundledOrtWasm } from '../../models/transformersRuntime';
import { pickSettings, type Settings } from '../../settings/schema';
import { errorCode, errorMessage } from '../../worker/stageError';
import { WorkerClient } from '../../worker/workerClient';
import { WHISPER_WORKER_SETTINGS, type SttProtocol } from './sttProtocol';
import type { Transcriber, TranscriberEvent, TurnAudio } from './transcriber';

export type WhisperClientSettings = Pick<Settings, (typeof WHISPER_WORKER_SETTINGS)[number] | 'device' | 'stt_device' | 'stt_torch_dtype' | 'models_base_url'>;

export class WhisperClient implements Transcriber {
  private constructor(
    private readonly worker: WorkerClient<SttProtocol>,
    private readonly onEvent: (event: TranscriberEvent) => void,
  ) {}

  /** Starts the worker and its load; `ready` (or a fatal error) follows as an event. */
  static async start(settings: WhisperClientSettings, onEvent: (event: TranscriberEvent) => void): Promise<WhisperClient> {
    const runtime = chooseRuntime('whisper', settings, await probeGpu());
    const worker = new WorkerClient<SttProtocol>(new Worker(new URL('../../../workers/stt.worker.ts', import.meta.url), { type: 'module', name: 'stt' }), 'speech-to-text', {
      onProgress: (progress) => onEvent({ kind: 'progress', progress }),
      onFailed: (error) => onEvent({ kind: 'stopped', code: error.code, message: error.message }),
    });
    worker
      .load({ settings: pickSettings(settings, WHISPER_WORKER_SETTINGS), runtime, location: transformersLocation(settings.models_base_url, location.href), ortWasm: bundledOrtWasm() })
      .then(
        () => onEvent({ kind: 'ready', description: runtime.reason }),
        (error: unknown) => onEvent({ kind: 'error', code: errorCode(error, 'model-load'), message: errorMessage(error), fatal: true }),
      );
    return new WhisperClient(worker, onEvent);
  }

  transcribe(audio: TurnAudio): void {
    const { turn, revision, mode } = audio;
    this.worker.request(audio, { transfer: [audio.audio.buffer] }).then(
      (result) => this.onEvent(result.kind === 'dropped' ? { kind: 'dropped', turn, revision, mode } : { ...result, turn, revision, mode }),
      (error: unknown) => {
        // A worker that ended has said so once already (onFailed, or the load's error).
        if (errorCode(error, '') !== 'transcription') return;
        this.onEvent({ kind: 'dropped', turn, revision, mode });
        this.onEvent({ kind: 'error', code: 'transcription', message: errorMessage(error), fatal: false });
      },
    );
  }

  dispose(): void {
    this.worker.terminate();
  }
}
