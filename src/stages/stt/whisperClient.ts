/** Whisper in its worker, seen from the page. */
import { probeGpu } from '../../models/capabilities';
import { transformersLocation } from '../../models/transformersLocation';
import { bundledOrtWasm } from '../../models/transformersRuntime';
import type { Settings } from '../../settings/schema';
import type { SttCommand, SttMessage, TranscriptionRequest } from './sttProtocol';
import type { Transcriber, TranscriberEvent } from './transcriber';
import { chooseWhisperRuntime } from './whisperRuntime';

export class WhisperClient implements Transcriber {
  private constructor(private readonly worker: Worker) {}

  static async start(settings: Settings, onEvent: (event: TranscriberEvent) => void): Promise<WhisperClient> {
    const runtime = chooseWhisperRuntime(settings, await probeGpu());
    const worker = new Worker(new URL('../../../workers/stt.worker.ts', import.meta.url), { type: 'module', name: 'stt' });
    worker.onmessage = (event: MessageEvent<SttMessage>) => onEvent(event.data);
    worker.onerror = (event) => {
      event.preventDefault();
      onEvent({ kind: 'error', message: `The speech-to-text worker failed (${event.message || 'script error'}). Reload the page.`, fatal: true });
    };
    const load: SttCommand = {
      kind: 'load',
      settings,
      runtime,
      location: transformersLocation(settings.models_base_url, location.href),
      ortWasm: bundledOrtWasm(),
    };
    worker.postMessage(load);
    return new WhisperClient(worker);
  }

  transcribe(request: TranscriptionRequest): void {
    const command: SttCommand = { kind: 'transcribe', request };
    this.worker.postMessage(command, [request.audio.buffer]);
  }

  dispose(): void {
    this.worker.terminate();
  }
}
