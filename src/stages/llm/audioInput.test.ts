import { describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import { defaultSettings } from '../../settings/schema';
import { EARLIER_AUDIO_PLACEHOLDER, audioContentPart, audioInputProblem, audioRequestOptions, keepRecentAudio } from './audioInput';
import type { Message } from './message';

const audio = Float32Array.from({ length: 40_000 }, (_, i) => Math.sin(i / 20) * 0.5);

describe('audio input (stt none)', () => {
  it('embeds a 16 kHz WAV as input_audio, or as a data URL for audio_url', () => {
    const part = audioContentPart(audio, 'input_audio');
    if (part.type !== 'input_audio') throw new Error('expected input_audio');
    expect(part.input_audio.format).toBe('wav');
    const wav = decodeWav(Uint8Array.from(atob(part.input_audio.data), (c) => c.charCodeAt(0)));
    expect(wav.sampleRate).toBe(16_000);
    expect(wav.samples.length).toBe(audio.length);
    expect(wav.samples[100]).toBeCloseTo(audio[100] as number, 3);
    const url = audioContentPart(audio, 'audio_url');
    expect(url.type === 'audio_url' && url.audio_url.url.startsWith('data:audio/wav;base64,UklGR')).toBe(true);
  });

  it('keeps audio only in the latest responses_api_audio_history_turns turns', () => {
    const spoken = (n: number): Message => ({ role: 'user', content: [{ type: 'text', text: `turn ${n}` }, audioContentPart(new Float32Array(16), 'input_audio')] });
    const messages: Message[] = [{ role: 'system', content: 'Be brief.' }, spoken(1), { role: 'assistant', content: 'A' }, spoken(2), { role: 'assistant', content: 'B' }, spoken(3)];
    const kept = keepRecentAudio(messages, 1);
    const kinds = kept.map((message) => (typeof message.content === 'string' ? 'text' : message.content.map((part) => part.type).join('+')));
    expect(kinds).toEqual(['text', 'text+text', 'text', 'text+text', 'text', 'text+input_audio']);
    expect(JSON.stringify(kept[1])).toContain(EARLIER_AUDIO_PLACEHOLDER);
    expect(keepRecentAudio(messages, 0).some((message) => JSON.stringify(message).includes('input_audio'))).toBe(false);
    expect(messages[1]).toEqual(spoken(1));
  });

  it('uses the audio request limits, and needs chat-completions', () => {
    expect(audioRequestOptions({ responses_api_audio_max_tokens: 99, responses_api_audio_temperature: 0.2 })).toEqual({ max_tokens: 99, temperature: 0.2 });
    expect(audioInputProblem({ ...defaultSettings(), stt: 'none', llm_backend: 'transformers' })).toContain('needs llm_backend chat-completions');
    expect(audioInputProblem({ ...defaultSettings(), stt: 'none', llm_backend: 'chat-completions' })).toBeNull();
    expect(audioInputProblem(defaultSettings())).toBeNull();
  });
});
