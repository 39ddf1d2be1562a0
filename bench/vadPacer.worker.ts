/**
 * Voice activity running in real time beside the benchmark's other work, as the VAD worker runs
 * while Whisper transcribes: Silero v5 on one WASM thread, one 512-sample frame due every 32 ms,
 * each frame's lateness (finished minus due) recorded under the phase the page last named.
 * Messages in: { start: { ortWasmUrl, modelUrl, audio } }, { phase: string }, { stop: true };
 * out: 'started' (or { error } if Silero could not load), then on stop { lateness: Record<phase, number[]> }.
 */
import * as ort from 'onnxruntime-web/wasm';
import { SILERO_FRAME_SAMPLES, SileroVad } from '../src/stages/vad/sileroVad';

const FRAME_MS = (SILERO_FRAME_SAMPLES / 16_000) * 1000;
const WARM_UP_FRAMES = 16;
let phase = 'idle';
let running = false;
const lateness: Record<string, number[]> = {};

async function pace(vad: SileroVad, audio: Float32Array): Promise<void> {
  const frames = Math.floor(audio.length / SILERO_FRAME_SAMPLES);
  const began = performance.now();
  for (let index = 0; running; index++) {
    // The frame is due when the microphone would have delivered it.
    const due = began + index * FRAME_MS;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    const at = (index % frames) * SILERO_FRAME_SAMPLES;
    await vad.probability(audio.subarray(at, at + SILERO_FRAME_SAMPLES));
    // The first half second is the VAD's own warm-up, not what Whisper does to it.
    if (index >= WARM_UP_FRAMES) (lateness[phase] ??= []).push(performance.now() - due);
  }
}

self.onmessage = async (event: MessageEvent<{ start?: { ortWasmUrl: string; modelUrl: string; audio: Float32Array }; phase?: string; stop?: true }>) => {
  const { start, stop } = event.data;
  if (event.data.phase) phase = event.data.phase;
  if (start) {
    ort.env.wasm.wasmPaths = { wasm: start.ortWasmUrl };
    ort.env.wasm.numThreads = 1;
    try {
      const response = await fetch(start.modelUrl);
      if (!response.ok) throw new Error(`${start.modelUrl}: HTTP ${response.status}`);
      const vad = await SileroVad.load(new Uint8Array(await response.arrayBuffer()));
      running = true;
      self.postMessage('started');
      void pace(vad, start.audio);
    } catch (error) {
      self.postMessage({ error: error instanceof Error ? error.message : String(error) });
    }
  }
  if (stop) {
    running = false;
    self.postMessage({ lateness });
  }
};
