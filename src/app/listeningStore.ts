/**
 * What the page shows of listening: whether it listens, what it hears (level, whether the user
 * is speaking), the microphones, each soft end of a turn, and what went wrong.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MicrophoneInfo } from '../audio/microphone';
import type { LoadProgress } from '../models/loadProgress';
import type { ListeningStatus, SegmentView } from '../pipeline/pipeline';
import type { SettingKey } from '../settings/schema';

export type { ListeningStatus, SegmentView };

export interface ListeningState {
  readonly status: ListeningStatus;
  /** What the user should know now: an error with what to do, or why audio is paused. */
  readonly detail: string | null;
  readonly notice: string | null;
  /** The voice activity models' download. */
  readonly download: LoadProgress | null;
  readonly level: number;
  readonly probability: number;
  /** The user is speaking (the assistant speaking is the voice's). */
  readonly userSpeaking: boolean;
  readonly sampleRate: number | null;
  readonly microphones: readonly MicrophoneInfo[];
  readonly microphoneId: string | null;
  readonly segments: readonly SegmentView[];
  readonly framesHeard: number;
  /** Push to talk: the user holds the talk control (or the space bar). */
  readonly holding: boolean;
  /** Settings changed while listening that apply when listening starts again. */
  readonly waitingForRestart: readonly SettingKey[];
}

export type ListeningStore = StoreApi<ListeningState>;

export function createListeningStore(): ListeningStore {
  return createStore<ListeningState>()(() => ({
    status: 'idle',
    detail: null,
    notice: null,
    download: null,
    level: 0,
    probability: 0,
    userSpeaking: false,
    sampleRate: null,
    microphones: [],
    microphoneId: null,
    segments: [],
    framesHeard: 0,
    holding: false,
    waitingForRestart: [],
  }));
}
