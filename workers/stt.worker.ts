/**
 * The speech-to-text worker: Whisper via transformers.js, one transcription at a time, the
 * newest partial only, stale work dropped (see TranscriptionQueue).
 */
import { env, InterruptableStoppingCriteria } from '@huggingface/transformers';
import { watchGpuDevice } from '../src/models/gpuDeviceWatch';
import { GPU_LOST } from '../src/models/gpuLoss';
import { configureLocation } from '../src/models/transformersLoading';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { TranscriptionError } from '../src/stages/stt/errors';
import type { SttProtocol, TranscriptionResult, WhisperLoad, WhisperSettings } from '../src/stages/stt/sttProtocol';
import type { TurnAudio } from '../src/stages/stt/transcriber';
import { TranscriptionQueue, type TranscriptionJob } from '../src/stages/stt/transcriptionQueue';
import { WhisperEngine } from '../src/stages/stt/whisperEngine';
import { StickyLanguage, reportedLanguage, whisperGenerateOptions, whisperThreads } from '../src/stages/stt/whisperRuntime';
import { errorMessage } from '../src/worker/stageError';
import { hostStage } from '../src/worker/workerHost';

/** A request waiting for its turn: its audio, and how to answer it. */
interface Queued extends TranscriptionJob {
  readonly audio: Float32Array;
  /** Whether the page no longer wants it. */
  readonly cancelled?: () => boolean;
  readonly answer: (result: TranscriptionResult) => void;
  readonly fail: (error: Error) => void;
}

const queue = new TranscriptionQueue<Queued>();
let engine: WhisperEngine | null = null;
let settings: WhisperSettings | null = null;
const sticky = new StickyLanguage();
/** Stops the partial being decoded, so a final waits only for its encoder pass, not for the rest of the preview. */
let runningPartial: InterruptableStoppingCriteria | null = null;

const host = hostStage<SttProtocol>(self, {
  async load(command: WhisperLoad, progress) {
    const began = performance.now();
    useLocalOnnxRuntime(command.ortWasm);
    const wasm = env.backends.onnx.wasm;
    if (wasm) wasm.numThreads = whisperThreads(navigator.hardwareConcurrency);
    configureLocation(command.location, (url) => progress({ file: url.split('/').pop() ?? url, loaded: 0, total: null, done: true, storageFull: true }));
    const loaded = await WhisperEngine.load(command.settings.stt_model_name, command.runtime, progress);
    // A warm-up pass over a second of silence, as the reference does at start: the first inference
    // of a session sets up its kernels, which the first turn should not pay for.
    try {
      // A few tokens are enough to set up the decoder; on silence Whisper may otherwise babble up to its token limit.
      const options = { ...whisperGenerateOptions(command.settings, command.settings.language === 'auto' ? null : command.settings.language), max_new_tokens: 4 };
      await loaded.transcribe(new Float32Array(16_000), options);
    } catch (error) {
      throw new TranscriptionError('model-load', `${command.settings.stt_model_name} loaded but could not transcribe (${errorMessage(error)}). Check stt_model_name and stt_torch_dtype.`, 'load', { cause: error });
    }
    engine = loaded;
    if (command.runtime.device === 'webgpu') watchGpuDevice((message) => host.fail(GPU_LOST, message));
    settings = command.settings;
    return { loadMs: performance.now() - began };
  },

  request(audio: TurnAudio, { id, signal }) {
    return new Promise((resolve, reject) => {
      const job: Queued = { ...audio, id, cancelled: () => signal.aborted, answer: (result) => resolve({ result }), fail: reject };
      if (job.mode === 'final') runningPartial?.interrupt();
      // A partial cancelled by the page (its turn's final went to another worker): its decoding
      // stops, and it is answered as dropped; one not started yet is dropped when its turn comes.
      signal.addEventListener('abort', () => {
        if (queue.isRunning(job)) runningPartial?.interrupt();
      });
      for (const dropped of queue.submit(job)) dropped.answer({ kind: 'dropped' });
      void pump();
    });
  },
});

async function pump(): Promise<void> {
  if (!engine || !settings) return;
  // Inference holds this thread, so requests sent meanwhile are still in the message queue: let
  // them in first, or the next partial would start ahead of a final that is already waiting.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const job = queue.next();
  if (!job) return;
  if (job.cancelled?.()) {
    queue.finish(job);
    job.answer({ kind: 'dropped' });
    void pump();
    return;
  }
  const { audio } = job;
  try {
    const began = performance.now();
    // With language auto, finals detect the language; partials reuse the remembered one, as detection costs a decoder pass.
    let language: string | null = settings.language === 'auto' ? null : settings.language;
    if (settings.language === 'auto') {
      language = job.mode === 'final' || sticky.remembered === null ? sticky.choose(await engine.detectLanguage(audio)) : sticky.remembered;
    }
    const options = whisperGenerateOptions(settings, language);
    if (job.mode === 'partial') {
      runningPartial = new InterruptableStoppingCriteria();
      options.stopping_criteria = runningPartial;
    }
    const text = await engine.transcribe(audio, options);
    runningPartial = null;
    const inferenceMs = performance.now() - began;
    if (queue.finish(job) && !job.cancelled?.()) {
      job.answer({ kind: 'transcript', text, language: job.mode === 'final' ? reportedLanguage(settings, language) : '', inferenceMs, audioMs: audio.length / 16 });
    } else {
      job.answer({ kind: 'dropped' });
    }
  } catch (error) {
    runningPartial = null;
    queue.finish(job);
    job.fail(new TranscriptionError('transcription', `Speech-to-text failed on this turn (${errorMessage(error)}); it was skipped.`, 'request', { cause: error }));
  }
  void pump();
}
