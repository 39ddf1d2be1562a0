import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/schema';
import { callSettings, heardText } from './remotePipeline';

describe('the Realtime client', () => {
  it('sends the system prompt as the instructions unless talk_instructions is set', () => {
    const settings = { ...defaultSettings(), init_chat_prompt: 'Answer in French.' };
    expect(callSettings(settings).instructions).toBe('Answer in French.');
    expect(callSettings({ ...settings, talk_instructions: 'Be brief.' }).instructions).toBe('Be brief.');
  });

  it('counts a part of the reply as heard once the audio received before it has played', () => {
    const reply = 'First sentence. Second sentence. Third sentence.';
    // Parts came with 0, 16000 and 32000 samples of audio received before them.
    const marks = [
      { at: 0, length: 15 },
      { at: 16_000, length: 32 },
      { at: 32_000, length: reply.length },
    ];
    expect(heardText(reply, marks, 0)).toBe('');
    expect(heardText(reply, marks, 100)).toBe('First sentence.');
    expect(heardText(reply, marks, 16_000)).toBe('First sentence.');
    expect(heardText(reply, marks, 20_000)).toBe('First sentence. Second sentence.');
    expect(heardText(reply, marks, 40_000)).toBe(reply);
  });
});
