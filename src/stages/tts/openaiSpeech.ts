/**
 * `tts openai`: each sentence batch posted to `{openai_tts_base_url}/audio/speech` through the
 * openai SDK, with the model, voice and response format of the settings; the key goes to that
 * server only. pcm (24 kHz 16-bit mono) is read directly; wav and the compressed formats are
 * decoded by the browser. The audio comes back at the speakers' rate.
 */
import type OpenAI from 'openai';
import { resampleClip } from '../../audio/resampleClip';
import { describeFailure, describeTimeout, endpointClient, type Endpoint } from '../../endpoints/openaiEndpoint';
import type { Settings } from '../../settings/schema';
import { SpeechError } from './errors';
import type { SpeechSynthesizer } from './speechSynthesizer';

export const OPENAI_TTS_SETTINGS = ['openai_tts_base_url', 'openai_tts_api_key', 'openai_tts_model', 'openai_tts_voice', 'openai_tts_response_format'] as const;

type OpenAiTtsSettings = Pick<Settings, (typeof OPENAI_TTS_SETTINGS)[number]>;

/** OpenAI's raw pcm: 24 kHz, 16-bit little-endian, mono. */
const PCM_RATE = 24_000;
const REQUEST_TIMEOUT_MS = 30_000;

export function pcm16ToFloat(bytes: ArrayBuffer): Float32Array {
  const view = new DataView(bytes);
  const samples = new Float32Array(Math.floor(bytes.byteLength / 2));
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true) / 32_768;
  return samples;
}

function speechEndpoint(settings: OpenAiTtsSettings, timeoutMs: number): Endpoint {
  return {
    name: 'the speech server',
    baseUrl: settings.openai_tts_base_url,
    apiKey: settings.openai_tts_api_key,
    keyless: 'none',
    timeoutMs,
    settings: { url: 'openai_tts_base_url', key: 'openai_tts_api_key', model: 'openai_tts_model', request: 'openai_tts_voice and openai_tts_response_format' },
  };
}

export class OpenAiSpeech implements SpeechSynthesizer {
  private readonly endpoint: Endpoint;
  /** Made with the first request: the SDK loads then, not with the page. */
  private client: Promise<OpenAI> | null = null;

  constructor(
    private readonly settings: OpenAiTtsSettings,
    private readonly outputRate: number,
    /** Decodes a compressed or WAV answer at `outputRate` (the browser's decodeAudioData). */
    private readonly decode: (bytes: ArrayBuffer, rate: number) => Promise<Float32Array> = decodeInBrowser,
    /** The whole request, body included. */
    timeoutMs = REQUEST_TIMEOUT_MS,
  ) {
    this.endpoint = speechEndpoint(settings, timeoutMs);
  }

  async speak(text: string, signal: AbortSignal): Promise<Float32Array> {
    const { settings } = this;
    let bytes: ArrayBuffer;
    let contentType: string;
    // The whole request, the body too, within the time limit (the SDK's own stops counting once the
    // headers arrive): a body that stalls does not hold up the reply.
    const timeout = AbortSignal.timeout(this.endpoint.timeoutMs);
    try {
      const client = await (this.client ??= endpointClient(this.endpoint));
      const response = await client.audio.speech.create(
        { model: settings.openai_tts_model, voice: settings.openai_tts_voice, input: text, response_format: settings.openai_tts_response_format },
        { signal: AbortSignal.any([signal, timeout]) },
      );
      contentType = response.headers.get('content-type') ?? '';
      bytes = await response.arrayBuffer();
    } catch (error) {
      if (signal.aborted) throw error;
      if (timeout.aborted) throw new SpeechError('timeout', describeTimeout(this.endpoint), 'request', { cause: error });
      throw new SpeechError('server', describeFailure(error, this.endpoint), 'request', { cause: error });
    }
    // Raw pcm has no header to check: a web page or an error in JSON read as samples would play as noise.
    if (/^(text\/|application\/json)/.test(contentType)) {
      throw new SpeechError('bad-answer', `the speech server answered with ${contentType.startsWith('text/html') ? 'a web page' : (contentType.split(';')[0] ?? contentType)}, not ${settings.openai_tts_response_format} audio. Check openai_tts_base_url (it usually ends in /v1).`);
    }
    if (settings.openai_tts_response_format === 'pcm') return resampleClip(pcm16ToFloat(bytes), PCM_RATE, this.outputRate);
    try {
      return await this.decode(bytes, this.outputRate);
    } catch (error) {
      throw new SpeechError('bad-answer', `the speech server's answer is not ${settings.openai_tts_response_format} audio the browser can decode (${error instanceof Error ? error.message : String(error)}). Check openai_tts_response_format.`, 'request', { cause: error });
    }
  }
}

async function decodeInBrowser(bytes: ArrayBuffer, rate: number): Promise<Float32Array> {
  // An offline context decodes straight to its own rate.
  const buffer = await new OfflineAudioContext(1, 1, rate).decodeAudioData(bytes);
  return buffer.getChannelData(0).slice();
}
