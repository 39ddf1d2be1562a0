import { describe, expect, it } from 'vitest';
import { defaultSettings } from '../settings/schema';
import { MemoryStorage } from '../settings/memoryStorage.testSupport';
import { createSettingsStore } from '../settings/store';
import { createConversationStore } from './conversationStore';
import { createListeningStore } from './listeningStore';
import { createNoticesStore } from './noticesStore';
import { RemotePipeline, callSettings, heardText } from './remotePipeline';
import { createTranscriptStore } from './transcriptStore';
import { createVoiceStore } from './voiceStore';

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

describe('the Realtime client’s start', () => {
  it('closes the speakers when the microphone cannot be opened, and says why', async () => {
    const stores = {
      settings: createSettingsStore({ storage: () => new MemoryStorage(), report: () => undefined }),
      notices: createNoticesStore(),
      listening: createListeningStore(),
      transcripts: createTranscriptStore(),
      conversation: createConversationStore(),
      voice: createVoiceStore(),
    };
    let closed = 0;
    let calls = 0;
    const pipeline = new RemotePipeline(
      stores,
      {
        openSpeakers: () => Promise.resolve({ sampleRate: 48_000, play: () => undefined, duck: () => undefined, flush: () => Promise.resolve([]), close: () => {
          closed++;
        } }),
        openCapture: () => Promise.reject(new Error('The microphone is blocked for this page.')),
        openCall: () => {
          calls++;
          return Promise.reject(new Error('not reached'));
        },
      },
      () => undefined,
    );
    await expect(pipeline.start({ ...defaultSettings(), pipeline: 'realtime' }, null, new AbortController().signal)).rejects.toThrow('The microphone is blocked');
    pipeline.stop();
    expect(closed).toBe(1);
    expect(calls).toBe(0);
  });
});
