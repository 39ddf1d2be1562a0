/**
 * Speech to text for the page: turns heard by the listening stage become transcripts. Partial
 * transcripts follow the live snapshots while the user speaks; each soft end's final transcript
 * replaces them, after Smart Turn's delay for a turn that may go on, and only if the turn was not
 * reopened meanwhile.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { Settings } from '../settings/schema';
import type { Transcriber, TranscriberEvent } from '../stages/stt/transcriber';
import { audioInputProblem } from '../stages/llm/audioInput';
import { markMoment } from '../pipeline/timeline';
import type { TranscriptionJob } from '../pipeline/turnOrchestrator';
import { replyToTurn } from './conversation';
import { followReplyLanguage } from './speech';
import { OpenAiTranscriber } from '../stages/stt/openaiTranscriber';
import { WhisperClient } from '../stages/stt/whisperClient';
import type { FileProgress } from '../models/transformersLoading';
import type { TurnEvent } from '../stages/vad/turnDetector';

export interface TurnTranscript {
  readonly turn: number;
  readonly revision: number;
  readonly partial: string | null;
  readonly final: string | null;
  readonly language: string | null;
  readonly inferenceMs: number | null;
}

interface TranscriptionState {
  readonly status: 'off' | 'loading' | 'ready' | 'error';
  readonly message: string | null;
  readonly runtime: string | null;
  readonly files: Readonly<Record<string, FileProgress>>;
  readonly turns: readonly TurnTranscript[];
}

const initial: TranscriptionState = { status: 'off', message: null, runtime: null, files: {}, turns: [] };
export const transcriptionStore = createStore<TranscriptionState>()(() => initial);

export function useTranscription<T>(selector: (state: TranscriptionState) => T): T {
  return useStore(transcriptionStore, selector);
}

let transcriber: Transcriber | null = null;
let nextId = 1;

function updateTurn(turn: number, revision: number, change: Partial<TurnTranscript>): void {
  transcriptionStore.setState((state) => {
    const existing = state.turns.find((entry) => entry.turn === turn);
    if (existing && existing.revision > revision) return state;
    const base: TurnTranscript = existing && existing.revision === revision ? existing : { turn, revision, partial: existing?.partial ?? null, final: null, language: null, inferenceMs: null };
    const updated = { ...base, ...change };
    return { turns: existing ? state.turns.map((entry) => (entry.turn === turn ? updated : entry)) : [...state.turns, updated] };
  });
}

function onTranscriberEvent(event: TranscriberEvent): void {
  switch (event.kind) {
    case 'progress':
      transcriptionStore.setState((state) => ({ files: { ...state.files, [event.progress.file]: event.progress } }));
      break;
    case 'ready':
      transcriptionStore.setState({ status: 'ready', runtime: event.runtime.reason, message: null });
      break;
    case 'transcript':
      if (event.mode === 'partial') updateTurn(event.turn, event.revision, { partial: event.text });
      else {
        updateTurn(event.turn, event.revision, { final: event.text, language: event.language, inferenceMs: event.inferenceMs });
        markMoment('transcript', event.turn);
        followReplyLanguage(event.language);
        void replyToTurn(event.turn, event.text, event.language);
      }
      break;
    case 'dropped':
      break;
    case 'error':
      transcriptionStore.setState(event.fatal ? { status: 'error', message: event.message } : { message: event.message });
      break;
  }
}

/** Speech to text for a turn's audio (the orchestrator decides what and when). */
export function transcribeTurn(job: TranscriptionJob): void {
  transcriber?.transcribe({ id: nextId++, ...job });
}

/** Starts the speech-to-text backend the settings select (loading its model in the background). */
export async function startTranscription(settings: Settings): Promise<void> {
  stopTranscription();
  // With stt none the audio itself goes to the language model; there is nothing to transcribe.
  if (settings.stt === 'none') {
    const problem = audioInputProblem(settings);
    if (problem) transcriptionStore.setState({ status: 'error', message: problem });
    return;
  }
  transcriptionStore.setState({ status: 'loading', turns: [] });
  if (settings.stt === 'openai') {
    const remote = new OpenAiTranscriber(settings, onTranscriberEvent);
    transcriber = remote;
    void remote.warmUp();
    return;
  }
  try {
    transcriber = await WhisperClient.start(settings, onTranscriberEvent);
  } catch (error) {
    transcriptionStore.setState({ status: 'error', message: error instanceof Error ? error.message : String(error) });
  }
}

/** Stops speech to text; the transcripts shown so far stay. */
export function stopTranscription(): void {
  transcriber?.dispose();
  transcriber = null;
  transcriptionStore.setState({ status: 'off', message: null, files: {} });
}

/** Shows a turn as soon as its speech starts (its transcripts follow). */
export function showTurnStarted(event: Extract<TurnEvent, { kind: 'speech_started' }>): void {
  updateTurn(event.turn, event.revision, {});
}
