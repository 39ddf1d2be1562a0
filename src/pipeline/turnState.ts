/**
 * The turn's state, whichever pipeline runs: one word for what is happening now (whose turn it
 * is, or what holds it up), and while models load, how far (all files in flight together). The
 * page keeps it in a store and the talk control shows it. Plain code, tested without React.
 */
import type { LoadProgress } from '../stages';
import type { ListeningStatus } from './pipeline';

export type TurnState = 'idle' | 'loading' | 'listening' | 'hearing' | 'thinking' | 'asking' | 'speaking' | 'interrupted' | 'paused' | 'error';

export interface TurnInputs {
  readonly listening: ListeningStatus;
  readonly userSpeaking: boolean;
  /** Speech to text is still loading (what the user says cannot be understood yet). */
  readonly understandingLoading: boolean;
  /** Every file being loaded for any stage. */
  readonly files: readonly LoadProgress[];
  /** A reply is on its way: requested, streaming, or waiting for its first audio. */
  readonly replying: boolean;
  readonly assistantSpeaking: boolean;
  /** The user spoke over the assistant a moment ago. */
  readonly interrupted: boolean;
  /** A tool call waits for the user's answer (allow or deny). */
  readonly askingUser?: boolean;
}

export interface TurnView {
  readonly state: TurnState;
  readonly label: string;
  /** 0-100 while loading, when the sizes are known. */
  readonly percent: number | null;
}

/** How far the loads in flight are, in percent of the bytes whose size is known. */
export function loadPercent(files: readonly LoadProgress[]): number | null {
  const sized = files.filter((file) => file.total !== null && file.total > 0);
  if (sized.length === 0) return null;
  const total = sized.reduce((sum, file) => sum + (file.total ?? 0), 0);
  const loaded = sized.reduce((sum, file) => sum + Math.min(file.loaded, file.total ?? 0), 0);
  return Math.floor((100 * loaded) / total);
}

export function turnView(inputs: TurnInputs): TurnView {
  const view = (state: TurnState, label: string, percent: number | null = null): TurnView => ({ state, label, percent });
  if (inputs.listening === 'failed') return view('error', 'Not listening');
  if (inputs.listening === 'suspended') return view('paused', 'Paused by the browser');
  // The microphone is open and hears the user: said even while speech to text still loads (the turn waits for it).
  if (inputs.listening === 'listening' && inputs.userSpeaking && !inputs.interrupted) return view('hearing', 'Hearing you');
  if (inputs.listening === 'starting') {
    const percent = loadPercent(inputs.files);
    return view('loading', percent === null ? 'Loading…' : `Loading ${percent} %`, percent);
  }
  // Heard, but not understood yet: what is said now waits for speech to text and is answered then.
  if (inputs.listening === 'listening' && inputs.understandingLoading) {
    const percent = loadPercent(inputs.files);
    return view('loading', percent === null ? 'Listening · still loading…' : `Listening · still loading ${percent} %`, percent);
  }
  if (inputs.interrupted) return view('interrupted', 'Interrupted');
  if (inputs.userSpeaking) return view('hearing', 'Hearing you');
  if (inputs.assistantSpeaking) return view('speaking', 'Speaking');
  if (inputs.askingUser) return view('asking', 'Waiting for your answer');
  if (inputs.replying) return view('thinking', 'Thinking…');
  if (inputs.listening === 'listening') return view('listening', 'Listening');
  return view('idle', 'Not listening');
}
