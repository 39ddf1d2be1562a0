/**
 * The VAD worker: frames from the capture worklet in, Silero probabilities through the turn
 * detector (with Smart Turn on each soft end), turn events out. Frames are handled strictly in
 * order, one at a time.
 */
import * as ort from 'onnxruntime-web/wasm';
import type { CapturedFrame } from '../src/audio/captureProtocol';
import { fetchModelFile, forgetModelFile } from '../src/models/fetchModelFile';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { SileroVad } from '../src/stages/vad/sileroVad';
import { SmartTurn } from '../src/stages/vad/smartTurn';
import { TurnDetector, type TurnEvent } from '../src/stages/vad/turnDetector';
import type { VadCommand, VadMessage, VadStart } from '../src/stages/vad/vadProtocol';

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: VadMessage, transfer: Transferable[] = []) => scope.postMessage(message, transfer);

let detector: TurnDetector | null = null;
let silero: SileroVad | null = null;
let smartTurn: SmartTurn | null = null;
let frames: MessagePort | null = null;
let queue: Promise<void> = Promise.resolve();
let failed = false;

async function loadModel<T>(url: string, what: string, load: (bytes: Uint8Array) => Promise<T>): Promise<T> {
  const bytes = await fetchModelFile(url, what, (progress) => post({ kind: 'loading', what, progress }));
  try {
    return await load(bytes);
  } catch (error) {
    // A cached copy that does not load is not kept: the next try downloads it again.
    await forgetModelFile(url);
    throw error;
  }
}

async function start(command: VadStart): Promise<void> {
  ort.env.wasm.wasmPaths = { wasm: command.ortWasmUrl };
  // Smart Turn's features are computed by transformers.js, on its own onnxruntime-web.
  useLocalOnnxRuntime();
  ort.env.wasm.numThreads = command.threads;
  silero = await loadModel(command.sileroModelUrl, 'voice activity model', (bytes) => SileroVad.load(bytes));
  if (command.smartTurnModelUrl !== null) {
    smartTurn = await loadModel(command.smartTurnModelUrl, 'Smart Turn model', (bytes) => SmartTurn.load(bytes));
  }
  const classifier = smartTurn;
  detector = new TurnDetector(command.options, classifier ? (audio) => classifier.probability(audio) : undefined);
  frames = command.frames;
  frames.onmessage = (event: MessageEvent<CapturedFrame>) => {
    const frame = event.data;
    queue = queue.then(() => handleFrame(frame));
  };
  post({ kind: 'ready' });
}

async function handleFrame(frame: CapturedFrame): Promise<void> {
  if (!silero || !detector || failed) return;
  const { samples } = frame;
  let sum = 0;
  for (const value of samples) sum += value * value;
  const began = performance.now();
  let probability: number;
  try {
    probability = await silero.probability(samples);
  } catch (error) {
    failed = true;
    post({ kind: 'error', message: `Voice activity detection stopped: ${error instanceof Error ? error.message : String(error)}. Stop and start listening again.`, fatal: true });
    return;
  }
  const inferenceMs = performance.now() - began;
  let events: TurnEvent[];
  try {
    events = await detector.push(samples, probability);
  } catch (error) {
    failed = true;
    post({ kind: 'error', message: `Turn detection stopped: ${error instanceof Error ? error.message : String(error)}. Stop and start listening again.`, fatal: true });
    return;
  }
  post({ kind: 'frame', index: frame.index, timeMs: detector.nowMs, rms: Math.sqrt(sum / samples.length), probability, inferenceMs });
  for (const event of events) postTurnEvent(event);
}

function postTurnEvent(event: TurnEvent): void {
  if (event.kind === 'segment' || event.kind === 'progressive') {
    post({ kind: 'turn', event }, [event.audio.buffer]);
  } else {
    post({ kind: 'turn', event });
  }
}

scope.onmessage = (event: MessageEvent<VadCommand>) => {
  const command = event.data;
  switch (command.kind) {
    case 'start':
      start(command).catch((error: unknown) => post({ kind: 'error', message: error instanceof Error ? error.message : String(error), fatal: true }));
      break;
    case 'stop':
      frames?.close();
      void Promise.all([silero?.release(), smartTurn?.release()]).finally(() => scope.close());
      break;
  }
};
