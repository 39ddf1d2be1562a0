import { describe, expect, it } from 'vitest';
import { readTurnLatency } from './turnLatency';

const response = (latency: unknown) => ({ status: 'completed', metadata: { 'speech_to_speech.turn_latency': typeof latency === 'string' ? latency : JSON.stringify(latency) } });

describe('readTurnLatency', () => {
  it('reads version 2 figures, in seconds', () => {
    const latency = readTurnLatency(response({ version: 2, turn_id: 't', turn_revision: 0, response_key: 'r', status: 'completed', stt_s: 0.1, llm_s: 0.3, tts_ttfa_s: 0.05, e2e_s: 0.6, vad_decision_s: 0.5, smart_wait_s: null, hold_s: 0 }));
    expect(latency).toEqual({ version: 2, sttS: 0.1, llmS: 0.3, ttsFirstAudioS: 0.05, endToEndS: 0.6, vadDecisionS: 0.5, smartTurnWaitS: null, holdS: 0 });
  });

  it('reads version 1, which has no VAD, Smart Turn or hold figures', () => {
    expect(readTurnLatency(response({ version: 1, stt_s: 0.1, llm_s: null, tts_ttfa_s: 0.2, e2e_s: 0.9 }))?.vadDecisionS).toBeNull();
  });

  it('gives null for a response without figures, or with figures it cannot trust', () => {
    expect(readTurnLatency({ status: 'completed' })).toBeNull();
    expect(readTurnLatency(null)).toBeNull();
    expect(readTurnLatency(response('{not json'))).toBeNull();
    expect(readTurnLatency(response({ version: 3, stt_s: 0.1 }))).toBeNull();
    expect(readTurnLatency(response({ version: 2, stt_s: -1 }))).toBeNull();
    expect(readTurnLatency(response({ version: 2, stt_s: '0.1' }))).toBeNull();
  });
});
