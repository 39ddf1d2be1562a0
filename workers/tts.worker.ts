/**
 * The text-to-speech worker (Kokoro or MMS): one sentence batch at a time, in order, resampled to
 * the speakers' rate; cancelled requests are dropped.
 */
import { resampleClip } from '../src/audio/resampleClip';
import { configureLocation } from '../src/models/transformersLoading';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { KokoroEngine } from '../src/stages/tts/kokoroEngine';
import { MmsEngine } from '../src/stages/tts/mmsEngine';
import type { TtsCommand, TtsMessage } from '../src/stages/tts/ttsProtocol';

type SpeakCommand = Extract<TtsCommand, { kind: 'speak' }>;
type Synthesize = (command: SpeakCommand) => Promise<{ samples: Float32Array; sampleRate: number }>;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: TtsMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

let synthesize: Synthesize | null = null;
let outputRate = 48_000;
const waiting: SpeakCommand[] = [];
let busy = false;

async function load(command: Extract<TtsCommand, { kind: 'load' }>): Promise<void> {
  useLocalOnnxRuntime(command.ortWasm);
  configureLocation(command.location);
  outputRate = command.outputRate;
  const onProgress = (progress: Extract<TtsMessage, { kind: 'progress' }>['progress']) => post({ kind: 'progress', progress });
  const { engine } = command;
  if (engine.kind === 'kokoro') {
    const kokoro = await KokoroEngine.load(command.modelId, engine.runtime, new URL(engine.modelsBase), onProgress);
    synthesize = ({ text, voice, speed }) => {
      if (!kokoro.hasVoice(voice)) throw new Error(`Kokoro has no voice "${voice}" here; in the browser it speaks English voices such as af_heart, am_michael, bf_emma or bm_fable. Check kokoro_voice.`);
      return kokoro.synthesize(text, voice, speed);
    };
    post({ kind: 'ready', voices: kokoro.voices });
  } else {
    const mms = await MmsEngine.load(command.modelId, engine.runtime, onProgress);
    synthesize = ({ text }) => mms.synthesize(text);
    post({ kind: 'ready', voices: [] });
  }
  void pump();
}

async function pump(): Promise<void> {
  if (!synthesize || busy) return;
  const command = waiting.shift();
  if (!command) return;
  busy = true;
  try {
    const speech = await synthesize(command);
    const samples = resampleClip(speech.samples, speech.sampleRate, outputRate);
    // A copy when no resampling happened: the engine's buffer may be a view.
    const owned = samples === speech.samples ? samples.slice() : samples;
    post({ kind: 'audio', id: command.id, samples: owned }, [owned.buffer]);
  } catch (error) {
    post({ kind: 'error', id: command.id, message: error instanceof Error ? error.message : String(error) });
  }
  busy = false;
  void pump();
}

scope.onmessage = (event: MessageEvent<TtsCommand>) => {
  const command = event.data;
  if (command.kind === 'load') {
    load(command).catch((error: unknown) => post({ kind: 'load-failed', message: error instanceof Error ? error.message : String(error) }));
  } else if (command.kind === 'speak') {
    waiting.push(command);
    void pump();
  } else {
    const index = waiting.findIndex((queued) => queued.id === command.id);
    if (index >= 0) waiting.splice(index, 1);
  }
};
