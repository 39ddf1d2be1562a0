/**
 * The reference server's own latency figures for a turn: `response.done` carries them in
 * `metadata["speech_to_speech.turn_latency"]` (a JSON string; version 2 adds the VAD decision,
 * the Smart Turn wait and the hold). Servers that do not send them, or send something else, give
 * null: the page then shows its own figures only.
 */

import type { TurnLatency } from '../pipeline/exchange';

export type { TurnLatency };

const seconds = (value: unknown): number | null | undefined => {
  if (value === null || value === undefined) return null;
  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : undefined;
};

export function readTurnLatency(response: unknown): TurnLatency | null {
  const raw = (response as { metadata?: Record<string, unknown> } | null)?.metadata?.['speech_to_speech.turn_latency'];
  if (typeof raw !== 'string') return null;
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(raw) as Record<string, unknown>;
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null || (data.version !== 1 && data.version !== 2)) return null;
  const fields = [data.stt_s, data.llm_s, data.tts_ttfa_s, data.e2e_s, data.vad_decision_s, data.smart_wait_s, data.hold_s].map(seconds);
  if (fields.includes(undefined)) return null;
  const [sttS, llmS, ttsFirstAudioS, endToEndS, vadDecisionS, smartTurnWaitS, holdS] = fields as (number | null)[];
  return { version: data.version, sttS: sttS ?? null, llmS: llmS ?? null, ttsFirstAudioS: ttsFirstAudioS ?? null, endToEndS: endToEndS ?? null, vadDecisionS: vadDecisionS ?? null, smartTurnWaitS: smartTurnWaitS ?? null, holdS: holdS ?? null };
}
