/**
 * The Kokoro worker: one sentence batch at a time, in order, resampled to the speakers' rate;
 * cancelled requests are dropped.
 */
import { resampleClip } from '../src/audio/resampleClip';
import { configureLocation } from '../src/models/transformersLoading';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { KokoroEngine } from '../src/stages/tts/kokoroEngine';
import type { TtsCommand, TtsMessage } from '../src/stages/tts/ttsProtocol';

type SpeakCommand = Extract<TtsCommand, { kind: 'speak' }>;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: TtsMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

let engine: KokoroEngine | null = null;
let outputRate = 48_000;
const waiting: SpeakCommand[] = [];
let busy = false;

async function load(command: Extract<TtsCommand, { kind: 'load' }>): Promise<void> {
  useLocalOnnxRuntime(command.ortWasm);
  configureLocation(command.location);
  outputRate = command.outputRate;
  engine = await KokoroEngine.load(command.modelId, command.runtime, new URL(command.modelsBase), (progress) => post({ kind: 'progress', progress }));
  post({ kind: 'ready' });
  void pump();
}

async function pump(): Promise<void> {
  if (!engine || busy) return;
  const command = waiting.shift();
  if (!command) return;
  busy = true;
  try {
    if (!engine.hasVoice(command.voice)) throw new Error(`Kokoro has no voice "${command.voice}" here; in the browser it speaks English voices such as af_heart, am_michael, bf_emma or bm_fable. Check kokoro_voice.`);
    const speech = await engine.synthesize(command.text, command.voice, command.speed);
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
