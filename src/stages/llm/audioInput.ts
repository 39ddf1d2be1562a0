/**
 * `stt none`: the user's audio goes to the language model itself, as the reference does with an
 * audio-capable chat-completions model. This builds the audio part of the user message, replaces
 * audio older than `responses_api_audio_history_turns` with a placeholder, and gives the audio
 * request's own limits.
 */
import { encodeWav } from '../../audio/wav';
import type { Settings } from '../../settings/schema';
import type { AudioContentPart, Message } from './message';

/** What an older spoken turn becomes once its audio is no longer sent. */
export const EARLIER_AUDIO_PLACEHOLDER = '[The user spoke here; the audio is no longer included.]';

function base64(bytes: Uint8Array): string {
  let binary = '';
  // In pieces: String.fromCharCode takes only so many arguments at once.
  for (let offset = 0; offset < bytes.length; offset += 0x8000) binary += String.fromCharCode(...bytes.subarray(offset, offset + 0x8000));
  return btoa(binary);
}

/** The user's turn (16 kHz audio) as one content part, as `responses_api_audio_content_type` says. */
export function audioContentPart(audio: Float32Array, contentType: Settings['responses_api_audio_content_type']): AudioContentPart {
  const data = base64(encodeWav(audio, 16_000));
  return contentType === 'input_audio' ? { type: 'input_audio', input_audio: { data, format: 'wav' } } : { type: 'audio_url', audio_url: { url: `data:audio/wav;base64,${data}` } };
}

/** Whether a message carries audio. */
export function hasAudio(message: Message): boolean {
  return typeof message.content !== 'string' && message.content.some((part) => part.type !== 'text');
}

/** Keeps audio in the latest `keep` user turns that carry audio; older audio parts become the placeholder text. */
export function keepRecentAudio(messages: readonly Message[], keep: number): Message[] {
  let seen = 0;
  const result = [...messages];
  for (let index = result.length - 1; index >= 0; index--) {
    const message = result[index] as Message;
    if (typeof message.content === 'string' || !message.content.some((part) => part.type !== 'text')) continue;
    seen++;
    if (seen > keep) {
      result[index] = { ...message, content: message.content.map((part) => (part.type === 'text' ? part : { type: 'text', text: EARLIER_AUDIO_PLACEHOLDER })) };
    }
  }
  return result;
}

/** Requests that carry audio use their own limits. */
export function audioRequestOptions(settings: Pick<Settings, 'responses_api_audio_max_tokens' | 'responses_api_audio_temperature'>): { max_tokens: number; temperature: number } {
  return { max_tokens: settings.responses_api_audio_max_tokens, temperature: settings.responses_api_audio_temperature };
}

/** The reference allows `stt none` only with chat-completions; the sentence says what to change. */
export function audioInputProblem(settings: Pick<Settings, 'stt' | 'llm_backend'>): string | null {
  if (settings.stt !== 'none' || settings.llm_backend === 'chat-completions') return null;
  return `stt none sends your audio straight to the language model, which needs llm_backend chat-completions and an audio-capable model_name; llm_backend is ${settings.llm_backend}. Choose chat-completions, or another stt.`;
}
