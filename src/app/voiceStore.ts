/** What the page shows of the assistant's voice: its model's load, whether it is speaking, and what to know about it. */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { LoadProgress } from '../models/loadProgress';
import type { StageStatus } from '../pipeline/pipeline';

export interface VoiceState {
  readonly status: StageStatus;
  readonly detail: string | null;
  readonly files: Readonly<Record<string, LoadProgress>>;
  /** The assistant can be heard now (the user speaking is listening's). */
  readonly assistantSpeaking: boolean;
  /** Samples of replies played since the page opened: proof that audio reached the speakers. */
  readonly samplesPlayed: number;
  /** The assistant's output level now (RMS), for the talk control's ring. */
  readonly outputLevel: number;
  /** Samples of the thinking cue played since the page opened. */
  readonly cueSamplesPlayed: number;
  /** Output devices, where the browser lets the page choose one (null: it does not). */
  readonly speakers: readonly { readonly deviceId: string; readonly label: string }[] | null;
  readonly speakerId: string | null;
  /** The browser paused the speakers: replies are silent until a click resumes them. */
  readonly suspended: boolean;
  /** Something the user should know about the voice, such as a language it cannot speak. */
  readonly notice: string | null;
}

export type VoiceStore = StoreApi<VoiceState>;

export function createVoiceStore(): VoiceStore {
  return createStore<VoiceState>()(() => ({
    status: 'off',
    detail: null,
    files: {},
    assistantSpeaking: false,
    samplesPlayed: 0,
    outputLevel: 0,
    cueSamplesPlayed: 0,
    speakers: null,
    speakerId: null,
    suspended: false,
    notice: null,
  }));
}
