/**
 * The speech-to-text benchmark, run in the page: Whisper tiny.en (real weights, q8, WASM) called
 * directly through transformers.js on this page, and through our path (the STT worker via
 * WhisperClient), on the same utterances, interleaved. Exposes `window.loadDirect` and
 * `window.runSttBench`.
 */
import { env, pipeline, type AutomaticSpeechRecognitionPipeline } from '@huggingface/transformers';
import { decodeWav } from '../src/audio/wav';
import { transformersLocation } from '../src/models/transformersLocation';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { defaultSettings } from '../src/settings/schema';
import type { TranscriberEvent } from '../src/stages/stt/transcriber';
import { WhisperClient } from '../src/stages/stt/whisperClient';
import { configureLocation } from '../src/models/transformersLoading';
import { whisperGenerateOptions, whisperThreads } from '../src/stages/stt/whisperRuntime';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';

const MODEL = 'onnx-community/whisper-tiny.en';
const settings = { ...defaultSettings(), stt_model_name: MODEL, models_base_url: '/models/', stt_device: 'wasm' as const };

async function clip(url: string): Promise<Float32Array> {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return decodeWav(new Uint8Array(await response.arrayBuffer())).samples;
}

async function utterances(): Promise<{ name: string; audio: Float32Array }[]> {
  const shared = ['capital_of_france', 'kitchen_lights', 'moon', 'good_morning', 'timer'].map((name) => ({ name, url: `/models/test-audio/${name}.wav` }));
  const own = ['music', 'weather', 'two_plus_two', 'station', 'news'].map((name) => ({ name, url: `/e2e/fixtures/speech/en-us_${name}.wav` }));
  return Promise.all([...shared, ...own].map(async ({ name, url }) => ({ name, audio: await clip(url) })));
}

let direct: AutomaticSpeechRecognitionPipeline | null = null;

/** Loads the pipeline on this page with `threads` WASM threads; returns the load time. */
async function loadDirect(threads: number): Promise<number> {
  useLocalOnnxRuntime();
  const wasm = env.backends.onnx.wasm;
  if (wasm) wasm.numThreads = threads;
  configureLocation(transformersLocation('/models/', location.href));
  const began = performance.now();
  direct = await pipeline('automatic-speech-recognition', MODEL, { device: 'wasm', dtype: 'q8' });
  return performance.now() - began;
}

export interface SttBenchResult {
  environment: Record<string, string | number | boolean>;
  workerLoadMs: number;
  /** Per utterance: audio length, and the time of each path, over the repeats. */
  rows: { name: string; audioMs: number; directMs: number[]; workerMs: number[]; text: string }[];
}

async function runSttBench(repeats: number): Promise<SttBenchResult> {
  if (!direct) throw new Error('call loadDirect first');
  const asr = direct;
  const waiting = new Map<number, (event: TranscriberEvent) => void>();
  let ready: () => void = () => undefined;
  const loaded = new Promise<void>((resolve) => (ready = resolve));
  const began = performance.now();
  const worker = await WhisperClient.start(settings, (event) => {
    if (event.kind === 'ready') ready();
    // Each request is its own turn, so the turn names the request.
    if (event.kind === 'transcript' || event.kind === 'dropped') waiting.get(event.turn)?.(event);
    else if (event.kind === 'error') for (const resolve of waiting.values()) resolve(event);
  });
  await loaded;
  const workerLoadMs = performance.now() - began;
  const options = whisperGenerateOptions(settings, null);
  const list = await utterances();
  const rows: SttBenchResult['rows'] = list.map(({ name, audio }) => ({ name, audioMs: audio.length / 16, directMs: [], workerMs: [], text: '' }));
  let id = 1;
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const [index, { audio }] of list.entries()) {
      const row = rows[index];
      if (!row) continue;
      const runDirect = async () => {
        const start = performance.now();
        const output = (await asr(audio, options)) as { text: string };
        row.directMs.push(performance.now() - start);
        row.text = output.text.trim();
      };
      const runWorker = async () => {
        const requestId = id++;
        const start = performance.now();
        const done = new Promise<TranscriberEvent>((resolve) => waiting.set(requestId, resolve));
        worker.transcribe({ turn: requestId, revision: 0, mode: 'final', audio: audio.slice() });
        const event = await done;
        if (event.kind !== 'transcript') throw new Error(`worker: ${JSON.stringify(event)}`);
        row.workerMs.push(performance.now() - start);
      };
      // Alternate which goes first, so neither always runs on a warmer machine.
      if ((repeat + index) % 2 === 0) {
        await runDirect();
        await runWorker();
      } else {
        await runWorker();
        await runDirect();
      }
    }
  }
  worker.dispose();
  return {
    environment: {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated,
      directThreads: env.backends.onnx.wasm?.numThreads ?? 'unknown',
      workerThreads: whisperThreads(navigator.hardwareConcurrency),
      model: `${MODEL} q8 (real weights)`,
      repeats,
    },
    workerLoadMs,
    rows,
  };
}

export interface BusyBenchResult {
  /** Whisper's time per utterance while the VAD runs beside it. */
  readonly whisperMs: number[];
  readonly audioMs: number;
  /** The VAD's per-frame lateness (finished minus due), with Whisper idle and while it transcribes. */
  readonly idleLatenessMs: number[];
  readonly busyLatenessMs: number[];
}

/**
 * Whisper with audio running: the VAD processes a frame every 32 ms in a worker of its own (as the
 * app's does) while this page's pipeline transcribes the utterances back to back; 2 s of the VAD
 * alone first.
 */
async function runBusyBench(): Promise<BusyBenchResult> {
  if (!direct) throw new Error('call loadDirect first');
  const asr = direct;
  const list = await utterances();
  const pacer = new Worker(new URL('./vadPacer.worker.ts', import.meta.url), { type: 'module' });
  const started = new Promise<MessageEvent<unknown>>((resolve) => pacer.addEventListener('message', resolve, { once: true }));
  pacer.postMessage({ start: { ortWasmUrl: new URL(ortWasmUrl, location.href).href, modelUrl: '/models/silero-vad/silero_vad_v5.onnx', audio: list[0]?.audio ?? new Float32Array(16_000) } });
  const { data } = await started;
  if (data !== 'started') {
    pacer.terminate();
    throw new Error(`the VAD beside Whisper could not start: ${JSON.stringify(data)}`);
  }
  await new Promise((resolve) => setTimeout(resolve, 2000));
  pacer.postMessage({ phase: 'busy' });
  const options = whisperGenerateOptions(settings, null);
  const whisperMs: number[] = [];
  for (const { audio } of list) {
    const start = performance.now();
    await asr(audio, options);
    whisperMs.push(performance.now() - start);
  }
  const stopped = new Promise<MessageEvent<{ lateness: Record<string, number[]> }>>((resolve) => pacer.addEventListener('message', resolve, { once: true }));
  pacer.postMessage({ stop: true });
  const { lateness } = (await stopped).data;
  pacer.terminate();
  return { whisperMs, audioMs: list.reduce((sum, { audio }) => sum + audio.length / 16, 0), idleLatenessMs: lateness.idle ?? [], busyLatenessMs: lateness.busy ?? [] };
}

Object.assign(window, { loadDirect, runSttBench, runBusyBench });
const state = document.getElementById('state');
if (state) state.textContent = 'ready';
