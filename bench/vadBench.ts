/**
 * The VAD benchmark, run in the page: our path (SileroVad + TurnDetector, as the VAD worker runs
 * them per frame) against @ricky0123/vad-web's real-time path (its Silero v5 model class and
 * FrameProcessor), on the same 16 kHz frames, the same model file and the same onnxruntime-web,
 * interleaved clip by clip. Exposes `window.runVadBench`.
 */
import { FrameProcessor, Message } from '@ricky0123/vad-web';
import type { FrameProcessorEvent } from '@ricky0123/vad-web/dist/frame-processor';
import { Silero } from '@ricky0123/vad-web/dist/models';
import sileroV5Url from '@ricky0123/vad-web/dist/silero_vad_v5.onnx?url';
import * as ort from 'onnxruntime-web/wasm';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { concatSamples } from '../src/audio/concatSamples';
import { decodeWav } from '../src/audio/wav';
import { defaultSettings } from '../src/settings/schema';
import { SileroVad } from '../src/stages/vad/sileroVad';
import { TurnDetector } from '../src/stages/vad/turnDetector';
import { speechSpans, type Span } from './speechTruth';

const FRAME = 512;
const FRAME_MS = 32;

interface Clip {
  name: string;
  samples: Float32Array;
  truth: Span[];
}

export interface PathResult {
  frameMs: number[];
  /** Per clip: the speech spans found. */
  segments: Record<string, Span[]>;
}

async function wav(name: string): Promise<Float32Array> {
  const response = await fetch(`/models/test-audio/${name}.wav`);
  if (!response.ok) throw new Error(`/models/test-audio/${name}.wav: HTTP ${response.status} (is S2S_MODELS_DIR set?)`);
  return decodeWav(new Uint8Array(await response.arrayBuffer())).samples;
}

async function clips(): Promise<Clip[]> {
  const names = ['capital_of_france', 'kitchen_lights', 'moon', 'good_morning', 'timer'];
  const sentences = await Promise.all(names.map(wav));
  const list: { name: string; samples: Float32Array }[] = names.map((name, i) => ({ name, samples: sentences[i] as Float32Array }));
  // Two sentences 2 s apart, and 4 s of faint noise.
  list.push({ name: 'capital+2s+moon', samples: concatSamples([sentences[0] as Float32Array, new Float32Array(2 * 16_000), sentences[2] as Float32Array]) });
  let seed = 1;
  list.push({
    name: 'noise-4s',
    samples: Float32Array.from({ length: 4 * 16_000 }, () => {
      seed = (seed * 16_807) % 2_147_483_647;
      return (seed / 2_147_483_647 - 0.5) * 0.0006;
    }),
  });
  return list.map((clip) => ({ ...clip, truth: speechSpans(clip.samples) }));
}

function frames(samples: Float32Array): Float32Array[] {
  const list: Float32Array[] = [];
  // Trailing silence, so every segment can end.
  const padded = concatSamples([samples, new Float32Array(16_000)]);
  for (let offset = 0; offset + FRAME <= padded.length; offset += FRAME) list.push(padded.slice(offset, offset + FRAME));
  return list;
}

/** The reference's defaults, as the app runs them, without Smart Turn or live transcription (vad-web has neither). */
const OPTIONS = { ...defaultSettings(), smart_turn: false, enable_live_transcription: false };

async function runOurs(model: Uint8Array, clip: Clip, result: PathResult): Promise<void> {
  const vad = await ours(model);
  vad.reset();
  const detector = new TurnDetector(OPTIONS);
  const found: Span[] = [];
  for (const frame of frames(clip.samples)) {
    const began = performance.now();
    const probability = await vad.probability(frame);
    const events = await detector.push(frame, probability);
    result.frameMs.push(performance.now() - began);
    for (const event of events) {
      if (event.kind === 'segment') found.push({ startMs: event.speechStartMs, endMs: event.speechEndMs });
    }
  }
  result.segments[clip.name] = found;
}

let ourVad: SileroVad | null = null;
async function ours(model: Uint8Array): Promise<SileroVad> {
  ourVad ??= await SileroVad.load(model);
  return ourVad;
}

/** vad-web set up to decide as the reference does: speech at 0.6, silence below 0.45 for 3 frames, 384 ms minimum. */
const PEER_OPTIONS = {
  positiveSpeechThreshold: OPTIONS.thresh,
  negativeSpeechThreshold: OPTIONS.thresh - 0.15,
  redemptionMs: 3 * FRAME_MS,
  preSpeechPadMs: 0,
  minSpeechMs: OPTIONS.min_speech_ms,
  submitUserSpeechOnPause: false,
};

let peerModel: Awaited<ReturnType<typeof Silero.new>> | null = null;
async function runPeer(model: Uint8Array, clip: Clip, result: PathResult): Promise<void> {
  peerModel ??= await Silero.new(ort, () => Promise.resolve(model.slice().buffer));
  const processor = new FrameProcessor(peerModel.process, peerModel.reset_state, PEER_OPTIONS, FRAME_MS);
  peerModel.reset_state();
  processor.resume();
  const found: Span[] = [];
  let startFrame = 0;
  const list = frames(clip.samples);
  for (let index = 0; index < list.length; index++) {
    const events: FrameProcessorEvent[] = [];
    const began = performance.now();
    await processor.process(list[index] as Float32Array, (event) => events.push(event));
    result.frameMs.push(performance.now() - began);
    for (const event of events) {
      if (event.msg === Message.SpeechStart) startFrame = index;
      // Its speech ends where the closing silence (the redemption frames) began.
      if (event.msg === Message.SpeechEnd) found.push({ startMs: startFrame * FRAME_MS, endMs: (index + 1 - PEER_OPTIONS.redemptionMs / FRAME_MS) * FRAME_MS });
    }
  }
  result.segments[clip.name] = found;
}

export interface VadBenchResult {
  environment: Record<string, string | number | boolean>;
  clips: { name: string; truth: Span[] }[];
  ours: PathResult;
  peer: PathResult;
}

async function runVadBench(repeats: number): Promise<VadBenchResult> {
  ort.env.wasm.wasmPaths = { wasm: new URL(ortWasmUrl, location.href).href };
  ort.env.wasm.numThreads = 1;
  const model = new Uint8Array(await (await fetch(sileroV5Url)).arrayBuffer());
  const list = await clips();
  const result: VadBenchResult = {
    environment: {
      userAgent: navigator.userAgent,
      hardwareConcurrency: navigator.hardwareConcurrency,
      crossOriginIsolated,
      onnxruntimeWeb: ort.env.versions.web ?? 'unknown',
      wasmThreads: 1,
      model: 'silero_vad_v5.onnx (from @ricky0123/vad-web)',
      repeats,
    },
    clips: list.map(({ name, truth }) => ({ name, truth })),
    ours: { frameMs: [], segments: {} },
    peer: { frameMs: [], segments: {} },
  };
  for (let repeat = 0; repeat < repeats; repeat++) {
    for (const clip of list) {
      // Alternate which goes first, so neither always runs on a warmer machine.
      if (repeat % 2 === 0) {
        await runOurs(model, clip, result.ours);
        await runPeer(model, clip, result.peer);
      } else {
        await runPeer(model, clip, result.peer);
        await runOurs(model, clip, result.ours);
      }
    }
  }
  return result;
}

(window as unknown as { runVadBench: typeof runVadBench }).runVadBench = runVadBench;
const state = document.getElementById('state');
if (state) state.textContent = 'ready';
