/**
 * The VAD worker: frames from the capture worklet in, Silero probabilities through the turn
 * detector (with Smart Turn on each soft end), turn events out. Frames are handled strictly in
 * order, one at a time.
 */
import * as ort from 'onnxruntime-web/wasm';
import type { CapturedFrame } from '../src/audio/captureProtocol';
import type { LoadProgress } from '../src/models/loadProgress';
import { fetchModelFile, forgetModelFile, isModelFileCached } from '../src/models/fetchModelFile';
import { ListeningError, vadStopped } from '../src/stages/vad/errors';
import { SileroVad } from '../src/stages/vad/sileroVad';
import { SmartTurn } from '../src/stages/vad/smartTurn';
import { TurnDetector, type TurnEvent } from '../src/stages/vad/turnDetector';
import type { VadLoad, VadProtocol } from '../src/stages/vad/vadProtocol';
import { errorMessage } from '../src/worker/stageError';
import { hostStage } from '../src/worker/workerHost';

let detector: TurnDetector | null = null;
let silero: SileroVad | null = null;
let smartTurn: SmartTurn | null = null;
let frames: MessagePort | null = null;
let queue: Promise<void> = Promise.resolve();
let failed = false;
let notice: string | null = null;

async function loadModel<T>(url: string, what: string, progress: (progress: LoadProgress) => void, load: (bytes: Uint8Array) => Promise<T>): Promise<T> {
  // A cached copy that does not load is not kept, and is fetched once more before the failure counts.
  const tries = (await isModelFileCached(url)) ? 2 : 1;
  for (let attempt = 1; ; attempt++) {
    let bytes: Uint8Array;
    try {
      bytes = await fetchModelFile(url, what, progress);
    } catch (error) {
      throw new ListeningError('model-load', errorMessage(error), { cause: error });
    }
    try {
      return await load(bytes);
    } catch (error) {
      await forgetModelFile(url);
      if (attempt >= tries) throw new ListeningError('model-load', errorMessage(error), { cause: error });
    }
  }
}

const host = hostStage<VadProtocol>(self, {
  async load(command: VadLoad, progress) {
    ort.env.wasm.wasmPaths = { wasm: command.ortWasmUrl };
    ort.env.wasm.numThreads = command.threads;
    silero = await loadModel(command.sileroModelUrl, 'voice activity model', progress, (bytes) => SileroVad.load(bytes));
    if (command.smartTurnModelUrl !== null) {
      try {
        smartTurn = await loadModel(command.smartTurnModelUrl, 'Smart Turn model', progress, (bytes) => SmartTurn.load(bytes));
      } catch (error) {
        // Smart Turn only refines turn-taking: without it, turns end on silence alone (as with --no_smart_turn).
        notice = `${errorMessage(error)} Turns end on silence alone meanwhile, as with --no_smart_turn.`;
      }
    }
    const classifier = smartTurn;
    detector = new TurnDetector(command.options, classifier ? (audio) => classifier.probability(audio) : undefined);
    frames = command.frames;
    frames.onmessage = (event: MessageEvent<CapturedFrame>) => {
      const frame = event.data;
      queue = queue.then(() => handleFrame(frame));
    };
    if (notice) {
      const message = notice;
      // Once the page hears that the worker is ready.
      setTimeout(() => host.emit({ kind: 'notice', message }), 0);
    }
    return null;
  },
  request(request) {
    // In order with the frames already received.
    const done = queue.then(async () => {
      if (!detector || failed) return;
      if (request.kind === 'hold') detector.hold(request.holding);
      else emitTurnEvents(await detector.endTurnNow());
    });
    queue = done;
    return done.then(() => ({ result: null }));
  },
  async stop() {
    frames?.close();
    await Promise.all([silero?.release(), smartTurn?.release()]);
  },
});

function fail(error: ListeningError): void {
  failed = true;
  host.fail(error.code, error.message);
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
    fail(vadStopped('Voice activity detection', error));
    return;
  }
  const inferenceMs = performance.now() - began;
  let events: TurnEvent[];
  try {
    events = await detector.push(samples, probability);
  } catch (error) {
    fail(vadStopped('Turn detection', error));
    return;
  }
  host.emit({ kind: 'frame', index: frame.index, timeMs: detector.nowMs, rms: Math.sqrt(sum / samples.length), probability, inferenceMs });
  emitTurnEvents(events);
}

function emitTurnEvents(events: readonly TurnEvent[]): void {
  for (const event of events) {
    // A turn's audio is transferred, not copied.
    host.emit({ kind: 'turn', event }, event.kind === 'segment' || event.kind === 'progressive' ? [event.audio.buffer] : []);
  }
}
