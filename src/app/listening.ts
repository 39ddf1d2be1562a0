/**
 * The page's listening state: whether it listens, what it hears (level, speech), the turns it
 * found, and what went wrong. React renders this store; the Listener does the audio work.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { Listener, type ListenerEvent } from '../audio/listener';
import { listMicrophones, type MicrophoneInfo } from '../audio/microphone';
import { modelPathUrl, modelsBase } from '../models/modelLocation';
import type { Settings } from '../settings/schema';
import type { TurnEvent } from '../stages/vad/turnDetector';
import { settingsStore } from './settings';
import { onTurnEvent as onTurnEventForReplies, prepareLanguageModel, stopTurns } from './conversation';
import { maybeUserSpeech, prepareSpeech, speechStore } from './speech';

// Half duplex (`local_audio_block_mic_during_playback`): the microphone is muted while the assistant speaks.
speechStore.subscribe((state, previous) => {
  if (state.speaking === previous.speaking) return;
  const { local_audio_block_mic_during_playback } = settingsStore.getState().settings;
  if (local_audio_block_mic_during_playback || !state.speaking) listener?.mute(state.speaking && local_audio_block_mic_during_playback);
});
import { showTurnStarted, startTranscription, stopTranscription } from './transcription';

export type ListeningStatus = 'idle' | 'starting' | 'listening' | 'suspended' | 'error';

/** One soft end of a turn, as the page shows it. */
export interface SegmentView {
  readonly turn: number;
  readonly revision: number;
  readonly startMs: number;
  readonly endMs: number;
  readonly speechStartMs: number;
  readonly speechEndMs: number;
  readonly durationS: number;
  readonly smartTurn: { readonly probability: number; readonly complete: boolean } | null;
  readonly delayMs: number;
  readonly graceMs: number;
  /** The turn's reply may be released (its grace is over and nothing reopened it). */
  readonly released: boolean;
}

interface ListeningState {
  readonly status: ListeningStatus;
  /** What the user should know now: an error with what to do, or why audio is paused. */
  readonly message: string | null;
  readonly notice: string | null;
  readonly download: { readonly what: string; readonly loaded: number; readonly total: number | null } | null;
  readonly level: number;
  readonly probability: number;
  readonly speaking: boolean;
  readonly sampleRate: number | null;
  readonly microphones: readonly MicrophoneInfo[];
  readonly microphoneId: string | null;
  readonly segments: readonly SegmentView[];
  readonly framesHeard: number;
}

const initial: ListeningState = {
  status: 'idle',
  message: null,
  notice: null,
  download: null,
  level: 0,
  probability: 0,
  speaking: false,
  sampleRate: null,
  microphones: [],
  microphoneId: null,
  segments: [],
  framesHeard: 0,
};

export const listeningStore = createStore<ListeningState>()(() => initial);

export function useListening<T>(selector: (state: ListeningState) => T): T {
  return useStore(listeningStore, selector);
}

let listener: Listener | null = null;

const SMART_TURN_DEFAULT = 'pipecat-ai/smart-turn-v3/smart-turn-v3.2-cpu.onnx';

function smartTurnModelUrl(settings: Settings): string | null {
  if (!settings.smart_turn) return null;
  return modelPathUrl(modelsBase(settings.models_base_url, location.href), settings.smart_turn_model_path ?? SMART_TURN_DEFAULT);
}

async function refreshMicrophones(): Promise<void> {
  try {
    listeningStore.setState({ microphones: await listMicrophones() });
  } catch {
    // The list is a convenience; listening works with the default microphone without it.
  }
}

function onTurnEvent(event: TurnEvent): void {
  showTurnEvent(event);
  // Last: speech to text takes (transfers) the event's audio.
  onTurnEventForReplies(event);
}

function showTurnEvent(event: TurnEvent): void {
  switch (event.kind) {
    case 'speech_started':
      listeningStore.setState({ speaking: true });
      showTurnStarted(event);
      break;
    case 'speech_stopped':
      listeningStore.setState({ speaking: false });
      break;
    case 'segment': {
      const { turn, revision, startMs, endMs, speechStartMs, speechEndMs, smartTurn, delayMs, graceMs, audio } = event;
      const segment: SegmentView = { turn, revision, startMs, endMs, speechStartMs, speechEndMs, durationS: audio.length / 16_000, smartTurn, delayMs, graceMs, released: false };
      listeningStore.setState((state) => ({ segments: [...state.segments, segment] }));
      break;
    }
    case 'turn_releasable':
      listeningStore.setState((state) => ({
        segments: state.segments.map((segment) => (segment.turn === event.turn && segment.revision === event.revision ? { ...segment, released: true } : segment)),
      }));
      break;
    case 'smart_turn_failed':
      listeningStore.setState({ notice: `Smart Turn failed on the last turn (${event.message}); it was ended by silence alone.` });
      break;
    case 'progressive':
      break;
  }
}

function onListenerEvent(event: ListenerEvent): void {
  switch (event.kind) {
    case 'loading':
      listeningStore.setState({ download: { what: event.what, loaded: event.progress.loaded, total: event.progress.total } });
      break;
    case 'ready':
      break;
    case 'frame':
      listeningStore.setState((state) => ({ level: event.rms, probability: event.probability, framesHeard: state.framesHeard + 1 }));
      // Perhaps the user starting to speak over the reply: it is lowered at once, stopped once the speech is confirmed.
      if (event.probability >= settingsStore.getState().settings.thresh) maybeUserSpeech();
      break;
    case 'turn':
      onTurnEvent(event.event);
      break;
    case 'listening':
      listeningStore.setState({ status: 'listening', message: null, sampleRate: event.sampleRate, download: null });
      void refreshMicrophones();
      break;
    case 'suspended':
      listeningStore.setState({ status: 'suspended', message: event.message });
      break;
    case 'microphone_switched':
      listeningStore.setState({ notice: event.message, microphoneId: null });
      break;
    case 'devices_changed':
      void refreshMicrophones();
      break;
    case 'error':
      if (event.fatal) {
        listener?.stop();
        listener = null;
        stopTranscription();
        stopTurns();
        listeningStore.setState({ status: 'error', message: event.message, speaking: false, level: 0 });
      } else {
        listeningStore.setState({ notice: event.message });
      }
      break;
  }
}

/** Starts listening with the current settings; call it from a click. */
export async function startListening(): Promise<void> {
  if (listener || listeningStore.getState().status === 'starting') return;
  const settings = settingsStore.getState().settings;
  listeningStore.setState({ status: 'starting', message: null, notice: null, download: null, segments: [], framesHeard: 0 });
  // The speech-to-text model loads while the VAD starts.
  void startTranscription(settings);
  prepareLanguageModel();
  prepareSpeech();
  try {
    listener = await Listener.start(
      {
        options: settings,
        sileroVersion: settings.silero_vad_version,
        smartTurnModelUrl: smartTurnModelUrl(settings),
        threads: crossOriginIsolated ? settings.smart_turn_cpu_count : 1,
        microphone: {
          deviceId: listeningStore.getState().microphoneId,
          echoCancellation: settings.echo_cancellation,
          noiseSuppression: settings.noise_suppression,
          autoGainControl: settings.auto_gain_control,
        },
      },
      onListenerEvent,
    );
  } catch (error) {
    listener = null;
    stopTranscription();
    stopTurns();
    listeningStore.setState({ status: 'error', message: error instanceof Error ? error.message : String(error), download: null });
  }
}

export function stopListening(): void {
  listener?.stop();
  listener = null;
  stopTranscription();
  stopTurns();
  listeningStore.setState({ status: 'idle', message: null, speaking: false, level: 0, probability: 0, download: null });
}

export async function resumeListening(): Promise<void> {
  await listener?.resume();
}

/** Chooses the microphone; takes effect at once when listening. */
export async function selectMicrophone(deviceId: string | null): Promise<void> {
  listeningStore.setState({ microphoneId: deviceId });
  if (listener) {
    stopListening();
    await startListening();
  }
}
