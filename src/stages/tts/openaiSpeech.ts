/**
 * `tts openai`: each sentence batch posted to `{openai_tts_base_url}/audio/speech` through the
 * openai SDK, with the model, voice and response format of the settings; the key goes to that
 * server only. pcm (24 kHz 16-bit mono) is read directly; wav and the compressed formats are
 * decoded by the browser. The audio comes back at the speakers' rate.
 */
import OpenAI from 'openai';
import { resampleClip } from '../../audio/resampleClip';
import type { SpeechSynthesis } from '../../pipeline/replySpeech';
import type { Settings } from '../../settings/schema';

type OpenAiTtsSettings = Pick<Settings, 'openai_tts_base_url' | 'openai_tts_api_key' | 'openai_tts_model' | 'openai_tts_voice' | 'openai_tts_response_format'>;

/** OpenAI's raw pcm: 24 kHz, 16-bit little-endian, mono. */
const PCM_RATE = 24_000;
const REQUEST_TIMEOUT_MS = 30_000;

export function pcm16ToFloat(bytes: ArrayBuffer): Float32Array {
  const view = new DataView(bytes);
  const samples = new Float32Array(Math.floor(bytes.byteLength / 2));
  for (let i = 0; i < samples.length; i++) samples[i] = view.getInt16(i * 2, true) / 32_768;
  return samples;
}

export function describeSpeechError(error: unknown, baseUrl: string): string {
  if (error instanceof OpenAI.APIConnectionTimeoutError) return `the speech server did not answer within ${REQUEST_TIMEOUT_MS / 1000} s. Check it is running.`;
  if (error instanceof OpenAI.APIConnectionError) return `the speech server at ${baseUrl} could not be reached. Check openai_tts_base_url, that the server is running, and that it allows this page (CORS).`;
  if (error instanceof OpenAI.APIError) {
    const status: number = typeof error.status === 'number' ? error.status : 0;
    if (status === 401 || status === 403) return `the speech server refused the request (HTTP ${status}): check openai_tts_api_key.`;
    if (status === 404) return `the speech server has no such model or endpoint (HTTP 404): check openai_tts_model and openai_tts_base_url (it usually ends in /v1).`;
    if (status === 429) return 'the speech server is rate-limiting requests (HTTP 429).';
    if (status >= 500) return `the speech server failed (HTTP ${status}): check its logs.`;
    return `the speech server rejected the request (HTTP ${status}): check openai_tts_voice and openai_tts_response_format.`;
  }
  return error instanceof Error ? error.message : String(error);
}

export class OpenAiSpeech implements SpeechSynthesis {
  private readonly client: OpenAI;

  constructor(
    private readonly settings: OpenAiTtsSettings,
    private readonly outputRate: number,
    /** Decodes a compressed or WAV answer at `outputRate` (the browser's decodeAudioData). */
    private readonly decode: (bytes: ArrayBuffer, rate: number) => Promise<Float32Array> = decodeInBrowser,
  ) {
    this.client = new OpenAI({
      baseURL: settings.openai_tts_base_url,
      apiKey: settings.openai_tts_api_key ?? 'none',
      dangerouslyAllowBrowser: true,
      timeout: REQUEST_TIMEOUT_MS,
      maxRetries: 0,
    });
  }

  async speak(text: string, signal: AbortSignal): Promise<Float32Array> {
    const { settings } = this;
    let bytes: ArrayBuffer;
    try {
      const response = await this.client.audio.speech.create(
        { model: settings.openai_tts_model, voice: settings.openai_tts_voice, input: text, response_format: settings.openai_tts_response_format },
        { signal },
      );
      bytes = await response.arrayBuffer();
    } catch (error) {
      if (signal.aborted) throw error;
      throw new Error(describeSpeechError(error, settings.openai_tts_base_url), { cause: error });
    }
    if (settings.openai_tts_response_format === 'pcm') return resampleClip(pcm16ToFloat(bytes), PCM_RATE, this.outputRate);
    try {
      return await this.decode(bytes, this.outputRate);
    } catch (error) {
      throw new Error(`the speech server's answer is not ${settings.openai_tts_response_format} audio the browser can decode (${error instanceof Error ? error.message : String(error)}). Check openai_tts_response_format.`, { cause: error });
    }
  }
}

async function decodeInBrowser(bytes: ArrayBuffer, rate: number): Promise<Float32Array> {
  // An offline context decodes straight to its own rate.
  const buffer = await new OfflineAudioContext(1, 1, rate).decodeAudioData(bytes);
  return buffer.getChannelData(0).slice();
}
