/**
 * The text-to-speech worker (Kokoro or MMS): one sentence batch at a time, in order, resampled to
 * the speakers' rate; a cancelled request that has not started is dropped.
 */
import { resampleClip } from '../src/audio/resampleClip';
import { watchGpuDevice } from '../src/models/gpuDeviceWatch';
import { GPU_LOST } from '../src/models/gpuLoss';
import { configureLocation } from '../src/models/transformersLoading';
import { useLocalOnnxRuntime } from '../src/models/transformersRuntime';
import { SpeechError } from '../src/stages/tts/errors';
import { KokoroEngine } from '../src/stages/tts/kokoroEngine';
import { MmsEngine } from '../src/stages/tts/mmsEngine';
import type { TtsLoad, TtsProtocol } from '../src/stages/tts/ttsProtocol';
import { RequestQueue } from '../src/worker/requestQueue';
import { hostStage } from '../src/worker/workerHost';

type Synthesize = (request: TtsProtocol['request']) => Promise<{ samples: Float32Array; sampleRate: number }>;

/** What the voice says to itself at load (never played). */
const WARM_UP_TEXT = 'Hello.';

let synthesize: Synthesize | null = null;
let outputRate = 48_000;
const queue = new RequestQueue();

const host = hostStage<TtsProtocol>(self, {
  async load(command: TtsLoad, progress) {
    useLocalOnnxRuntime(command.ortWasm);
    configureLocation(command.location, (url) => progress({ file: url.split('/').pop() ?? url, loaded: 0, total: null, done: true, storageFull: true }));
    outputRate = command.outputRate;
    const { engine } = command;
    if (engine.kind === 'kokoro') {
      const kokoro = await KokoroEngine.load(command.modelId, command.runtime, new URL(engine.modelsBase), progress);
      if (command.runtime.device === 'webgpu') watchGpuDevice((message) => host.fail(GPU_LOST, message));
      // A voice that cannot be had is said when a reply needs it, not here.
      await kokoro.prepareVoice(engine.voice).catch(() => undefined);
      // A warm-up sentence, as the reference's voices do at start: the first run of a session sets
      // up its kernels, which the first reply should not pay for. A failure here is the first reply's to say.
      if (kokoro.hasVoice(engine.voice)) await kokoro.synthesize(WARM_UP_TEXT, engine.voice, 1).catch(() => undefined);
      synthesize = ({ text, voice, speed }) => {
        if (!kokoro.hasVoice(voice)) throw new SpeechError('synthesis', `Kokoro has no voice "${voice}" here; in the browser it speaks English voices such as af_heart, am_michael, bf_emma or bm_fable. Check kokoro_voice.`);
        return kokoro.synthesize(text, voice, speed);
      };
      return { voices: kokoro.voices };
    }
    const mms = await MmsEngine.load(command.modelId, command.runtime, progress);
    if (command.runtime.device === 'webgpu') watchGpuDevice((message) => host.fail(GPU_LOST, message));
    await mms.synthesize(WARM_UP_TEXT).catch(() => undefined);
    synthesize = ({ text }) => mms.synthesize(text);
    return { voices: [] };
  },

  request(request, { signal }) {
    return queue.run(signal, async () => {
      if (!synthesize) throw new SpeechError('synthesis', 'The voice is not loaded.');
      const speech = await synthesize(request);
      const samples = resampleClip(speech.samples, speech.sampleRate, outputRate);
      // A copy when no resampling happened: the engine's buffer may be a view.
      const owned = samples === speech.samples ? samples.slice() : samples;
      return { result: owned, transfer: [owned.buffer] };
    });
  },
});
