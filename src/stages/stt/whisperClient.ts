/**
 * Whisper in its worker, seen from the page: a Transcriber whose results come back as events.
 *
 * On WASM with four cores or more, live partials run in a second worker of their own, loaded once
 * the first is ready: a pass cannot be stopped once started (and Whisper pads every input to
 * 30 s, so a partial costs as much as a final), so a final that shared the worker with partials
 * would wait for the partial in flight. With its own worker and core, a final starts at once.
 * Without that worker (fewer cores, WebGPU's single queue, or a second worker that failed), partials
 * share the first worker, which runs finals first and cuts the decoding of a partial short.
 */
import { probeGpu } from '../../models/capabilities';
import { chooseRuntime } from '../../models/runtimePolicy';
import { transformersLocation } from '../../models/transformersLocation';
import { bundledOrtWasm } from '../../models/ortWasmFiles';
import { pickSettings, type Settings } from '../../settings/schema';
import { errorCode, errorMessage } from '../../worker/stageError';
import { DEFAULT_BOUNDS, WorkerClient } from '../../worker/workerClient';
import { WHISPER_WORKER_SETTINGS, type SttProtocol, type WhisperLoad } from './sttProtocol';
import type { Transcriber, TranscriberEvent, TurnAudio } from './transcriber';
import { TurnRevisions } from './transcriptionQueue';

export type WhisperClientSettings = Pick<Settings, (typeof WHISPER_WORKER_SETTINGS)[number] | 'device' | 'stt_device' | 'stt_torch_dtype' | 'models_base_url' | 'enable_live_transcription'>;

/**
 * The cores a second worker needs to pay off. Measured on 2 cores: the final no longer waited for
 * a partial (turn end -> transcript, partials on / off, 0.98 instead of 1.20), but loading the
 * second model right after the first took seconds of CPU from the first turns, and a partial
 * running beside the final slowed the final's own pass about as much; with the voice activity
 * detection and the page on the same two cores, it was a loss there.
 */
const PARTIAL_WORKER_MIN_CORES = 4;

/** How many recent turns' finals are remembered. */
const KEPT_TURNS = 8;

const sttWorker = (name: string) => new Worker(new URL('../../../workers/stt.worker.ts', import.meta.url), { type: 'module', name });

export class WhisperClient implements Transcriber {
  /** The worker for live partials, once loaded; null: partials share the main worker. */
  private partials: WorkerClient<SttProtocol> | null = null;
  /** Revisions and finals asked for: what is stale before it is sent. */
  private readonly revisions = new TurnRevisions();
  /** The newest revision whose final transcript came back, by turn: a partial after it is no longer news. */
  private readonly finalsBack = new Map<number, number>();
  /** The partial out in the partials' worker, and what cancels it. */
  private partialOut: { readonly turn: number; readonly controller: AbortController } | null = null;
  private disposed = false;

  private constructor(
    private readonly worker: WorkerClient<SttProtocol>,
    private readonly onEvent: (event: TranscriberEvent) => void,
  ) {}

  /** Starts the worker and its load; `ready` (or a fatal error) follows as an event. */
  static async start(settings: WhisperClientSettings, onEvent: (event: TranscriberEvent) => void): Promise<WhisperClient> {
    const runtime = chooseRuntime('whisper', settings, await probeGpu());
    const worker = new WorkerClient<SttProtocol>(sttWorker('stt'), 'speech-to-text', {
      onProgress: (progress) => onEvent({ kind: 'progress', progress }),
      onFailed: (error) => onEvent({ kind: 'stopped', code: error.code, message: error.message }),
    });
    const load: WhisperLoad = { settings: pickSettings(settings, WHISPER_WORKER_SETTINGS), runtime, location: transformersLocation(settings.models_base_url, location.href), ortWasm: bundledOrtWasm() };
    const client = new WhisperClient(worker, onEvent);
    worker.load(load).then(
      () => {
        onEvent({ kind: 'ready', description: runtime.reason });
        if (settings.enable_live_transcription && runtime.device === 'wasm' && navigator.hardwareConcurrency >= PARTIAL_WORKER_MIN_CORES) client.startPartialWorker(load);
      },
      (error: unknown) => onEvent({ kind: 'error', code: errorCode(error, 'model-load'), message: errorMessage(error), fatal: true }),
    );
    return client;
  }

  /** Loads the partials' worker (its files are cached by now); a failure only leaves partials where they were. */
  private startPartialWorker(load: WhisperLoad): void {
    if (this.disposed) return;
    const partials = new WorkerClient<SttProtocol>(
      sttWorker('stt-partials'),
      'live transcription',
      {
        onFailed: () => {
          if (this.partials === partials) this.partials = null;
          partials.terminate();
        },
      },
      // A cancelled partial lets go only once its encoder pass is over, which can take seconds with a larger model.
      { ...DEFAULT_BOUNDS, cancelMs: DEFAULT_BOUNDS.busySilenceMs },
    );
    partials.load(load).then(
      () => {
        if (this.disposed) partials.terminate();
        else this.partials = partials;
      },
      () => partials.terminate(),
    );
  }

  transcribe(audio: TurnAudio): void {
    const { turn, revision, mode } = audio;
    if (!this.revisions.note(audio)) {
      this.onEvent({ kind: 'dropped', turn, revision, mode });
      return;
    }
    const worker = mode === 'partial' && this.partials ? this.partials : this.worker;
    // A final stops the decoding of its turn's partial in the other worker: the core is the final's.
    if (mode === 'final' && this.partialOut && this.partialOut.turn <= turn) this.partialOut.controller.abort();
    const controller = new AbortController();
    const out = worker === this.partials ? { turn, controller } : null;
    if (out) this.partialOut = out;
    worker.request(audio, { transfer: [audio.audio.buffer], signal: controller.signal }).then(
      (result) => {
        if (out && this.partialOut === out) this.partialOut = null;
        // From the partials' worker a partial may come back after its turn's final. One that ran
        // while the final was asked for is still shown (on a slow machine it is the only preview),
        // but not once the final itself is back, nor for an older revision.
        const stale = result.kind === 'dropped' || (mode === 'partial' && (this.revisions.isSuperseded(audio) || (this.finalsBack.get(turn) ?? -1) >= revision));
        if (!stale && mode === 'final') this.noteFinalBack(turn, revision);
        this.onEvent(stale ? { kind: 'dropped', turn, revision, mode } : { ...result, turn, revision, mode });
      },
      (error: unknown) => {
        if (out && this.partialOut === out) this.partialOut = null;
        // A partial cancelled, or the partials' worker failing, is not the user's concern (partials go back to the main worker).
        if (worker !== this.worker) {
          this.onEvent({ kind: 'dropped', turn, revision, mode });
          return;
        }
        // A worker that ended has said so once already (onFailed, or the load's error).
        if (errorCode(error, '') !== 'transcription') return;
        this.onEvent({ kind: 'dropped', turn, revision, mode });
        this.onEvent({ kind: 'error', code: 'transcription', message: errorMessage(error), fatal: false });
      },
    );
  }

  private noteFinalBack(turn: number, revision: number): void {
    this.finalsBack.set(turn, revision);
    // Only recent turns can still have a partial out.
    for (const old of this.finalsBack.keys()) if (old < turn - KEPT_TURNS) this.finalsBack.delete(old);
  }

  dispose(): void {
    this.disposed = true;
    this.worker.terminate();
    this.partials?.terminate();
  }
}
