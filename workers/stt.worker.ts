/**
 * The speech-to-text worker: Whisper via transformers.js, one transcription at a time, the
 * newest partial only, stale work dropped (see TranscriptionQueue).
 */
import { InterruptableStoppingCriteria } from '@huggingface/transformers';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { TranscriptionQueue } from '../src/stages/stt/transcriptionQueue';
import { configureLocation } from '../src/models/transformersLoading';
import { WhisperEngine } from '../src/stages/stt/whisperEngine';
import { StickyLanguage, reportedLanguage, whisperGenerateOptions } from '../src/stages/stt/whisperRuntime';
import type { SttCommand, SttMessage, TranscriptionRequest, WhisperSettings } from '../src/stages/stt/sttProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: SttMessage) => scope.postMessage(message);

const queue = new TranscriptionQueue<TranscriptionRequest>();
let engine: WhisperEngine | null = null;
let settings: WhisperSettings | null = null;
const sticky = new StickyLanguage();
/** Stops the partial being decoded, so a final waits only for its encoder pass, not for the rest of the preview. */
let runningPartial: InterruptableStoppingCriteria | null = null;

async function load(command: Extract<SttCommand, { kind: 'load' }>): Promise<void> {
  const began = performance.now();
  // Threads: onnxruntime-web's default (half the cores, at most 4) leaves room for audio and the page.
  useLocalOnnxRuntime(command.ortWasm);
  configureLocation(command.location);
  settings = command.settings;
  const loaded = await WhisperEngine.load(command.settings.stt_model_name, command.runtime, (progress) => post({ kind: 'progress', progress }));
  // A warm-up pass over a second of silence, as the reference does at start: the first inference
  // of a session sets up its kernels, which the first turn should not pay for. Requests wait until
  // it is done (the engine is not taken before).
  try {
    // A few tokens are enough to set up the decoder; on silence Whisper may otherwise babble up to its token limit.
    const options = { ...whisperGenerateOptions(command.settings, command.settings.language === 'auto' ? null : command.settings.language), max_new_tokens: 4 };
    await loaded.transcribe(new Float32Array(16_000), options);
  } catch (error) {
    throw new Error(`${command.settings.stt_model_name} loaded but could not transcribe (${error instanceof Error ? error.message : String(error)}). Check stt_model_name and stt_torch_dtype.`, { cause: error });
  }
  engine = loaded;
  post({ kind: 'ready', runtime: command.runtime, loadMs: performance.now() - began });
  void pump();
}

async function pump(): Promise<void> {
  if (!engine || !settings) return;
  // Inference holds this thread, so requests sent meanwhile are still in the message queue: let
  // them in first, or the next partial would start ahead of a final that is already waiting.
  await new Promise((resolve) => setTimeout(resolve, 0));
  const request = queue.next();
  if (!request) return;
  const { audio } = request;
  try {
    const began = performance.now();
    // With language auto, finals detect the language; partials reuse the remembered one, as detection costs a decoder pass.
    let language: string | null = settings.language === 'auto' ? null : settings.language;
    if (settings.language === 'auto') {
      language = request.mode === 'final' || sticky.remembered === null ? sticky.choose(await engine.detectLanguage(audio)) : sticky.remembered;
    }
    const options = whisperGenerateOptions(settings, language);
    if (request.mode === 'partial') {
      runningPartial = new InterruptableStoppingCriteria();
      options.stopping_criteria = runningPartial;
    }
    const text = await engine.transcribe(audio, options);
    runningPartial = null;
    const inferenceMs = performance.now() - began;
    const { id, turn, revision, mode } = request;
    if (queue.finish(request)) {
      post({ kind: 'transcript', id, turn, revision, mode, text, language: request.mode === 'final' ? reportedLanguage(settings, language) : '', inferenceMs, audioMs: audio.length / 16 });
    } else {
      post({ kind: 'dropped', id, turn, revision, mode });
    }
  } catch (error) {
    runningPartial = null;
    queue.finish(request);
    post({ kind: 'error', id: request.id, message: `Speech-to-text failed on this turn (${error instanceof Error ? error.message : String(error)}); it was skipped.`, fatal: false });
  }
  void pump();
}

scope.onmessage = (event: MessageEvent<SttCommand>) => {
  const command = event.data;
  if (command.kind === 'load') {
    load(command).catch((error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.message : String(error), fatal: true }));
  } else {
    if (command.request.mode === 'final') runningPartial?.interrupt();
    for (const dropped of queue.submit(command.request)) {
      post({ kind: 'dropped', id: dropped.id, turn: dropped.turn, revision: dropped.revision, mode: dropped.mode });
    }
    void pump();
  }
};
