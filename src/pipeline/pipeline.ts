/**
 * The seam between the page and whatever runs the conversation: the stages in the page
 * (`LocalPipeline`) or a Realtime server (`RealtimePipeline`, in `src/realtime/`). Both take the
 * same intents and say what happens in the same words (`PipelineEvent`), which one projector
 * writes into the page's stores; the exchanges themselves go to one `ExchangeLog`, so their ids,
 * their statuses and what was heard of an interrupted reply mean the same in both.
 */
import type { MicrophoneInfo } from '../audio/microphone';
import type { LoadProgress } from '../stages';
import type { Exchange, ExchangeLog } from './exchange';
import type { Settings } from '../settings/schema';
import type { ToolRunner } from '../stages/llm';

export type { ExchangeLog, ToolRunner };

/** Every stage's state, in one set of words. */
export type StageStatus = 'off' | 'loading' | 'ready' | 'failed';

/** Listening's state: the microphone and what hears it (the VAD, or a Realtime server). */
export type ListeningStatus = 'idle' | 'starting' | 'listening' | 'suspended' | 'failed';

/** The stages a pipeline reports on. */
export type StageName = 'stt' | 'llm' | 'tts';

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

/** Something the user should know beyond a stage's own line, with the ways out. */
export interface PipelineAlert {
  readonly level: 'error' | 'warning' | 'info';
  readonly title: string;
  readonly lines: readonly string[];
  readonly actions?: readonly { readonly label: string; readonly run: () => void }[];
}

/** What happens in a pipeline, in the words the page shows. */
export type PipelineEvent =
  // Listening.
  | { readonly kind: 'listening'; readonly status: ListeningStatus; readonly detail?: string | null; readonly sampleRate?: number }
  /** A model file of listening (the VAD, Smart Turn) downloading; null when done. */
  | { readonly kind: 'listening_download'; readonly progress: LoadProgress | null }
  /** Something about listening the user should know, while it goes on; null clears it. */
  | { readonly kind: 'listening_notice'; readonly message: string | null }
  /** One frame heard: its level (RMS) and, where a VAD runs in the page, its speech probability. */
  | { readonly kind: 'level'; readonly rms: number; readonly probability: number }
  | { readonly kind: 'user_started_speaking'; readonly turn: number; readonly revision: number }
  | { readonly kind: 'user_stopped_speaking' }
  | { readonly kind: 'segment'; readonly segment: SegmentView }
  | { readonly kind: 'turn_released'; readonly turn: number; readonly revision: number }
  /** The microphone went away and the default one took over. */
  | { readonly kind: 'microphone_switched'; readonly message: string }
  | { readonly kind: 'microphones'; readonly microphones: readonly MicrophoneInfo[] }
  // The user's words.
  | { readonly kind: 'user_transcript'; readonly turn: number; readonly revision: number; readonly text: string; readonly final: boolean; readonly language?: string | null; readonly inferenceMs?: number | null }
  /** A turn said over the reply was an acknowledgement: it is not answered. */
  | { readonly kind: 'backchannel'; readonly turn: number }
  // The stages.
  | { readonly kind: 'stage'; readonly stage: StageName; readonly status: StageStatus; readonly detail?: string | null; readonly label?: string }
  | { readonly kind: 'stage_file'; readonly stage: StageName; readonly progress: LoadProgress }
  /** One overall fraction with a line of text (web-llm's load). */
  | { readonly kind: 'stage_step'; readonly stage: StageName; readonly fraction: number; readonly text: string }
  | { readonly kind: 'voice_notice'; readonly message: string | null }
  // The assistant's audio.
  | { readonly kind: 'assistant_audio'; readonly speaking: boolean }
  | { readonly kind: 'assistant_played'; readonly samples: number; readonly level: number; readonly cueSamples: number }
  | { readonly kind: 'speakers_suspended'; readonly suspended: boolean }
  | { readonly kind: 'speakers'; readonly speakers: readonly MicrophoneInfo[] | null; readonly speakerId?: string | null; readonly notice?: string }
  /** The user spoke over the assistant: the reply was cut (what was heard is in its exchange). */
  | { readonly kind: 'interrupted' }
  /** What the user said in `turn` answered a tool call waiting for them (it is no message). */
  | { readonly kind: 'tool_answer'; readonly turn: number; readonly decision: 'allow-once' | 'deny' }
  | { readonly kind: 'alert'; readonly alert: PipelineAlert };

/**
 * The tools the page offers the model (its own and its MCP servers'), the same for both
 * pipelines; the calls waiting for the user are shown and answered by the page.
 */
export interface PipelineTools {
  /** The tools a reply may use under these settings (an MCP server may first be connected); null: the model is offered none. */
  runner(settings: Settings): Promise<ToolRunner | null>;
  /** A spoken yes or no while a call waits answers it; null: the words were no answer. */
  answerSpoken(text: string): 'allow-once' | 'deny' | null;
  /** A call waits for the user (the assistant waits for them: it is not thinking). */
  readonly waiting: boolean;
}

/** What a pipeline needs from the page: where to say what happens, and where the exchanges go. */
export interface PipelineSink {
  readonly emit: (event: PipelineEvent) => void;
  readonly exchanges: ExchangeLog;
}

/**
 * The intents of the page, as either pipeline takes them; each reads the settings in effect from
 * its owner. `start` resolves once it listens (or connects) and rejects with a sentence saying
 * what to do; aborting `signal` stops it, also while it starts. After a failure of its own (the
 * microphone lost, a connection gone) a pipeline has stopped and tells its owner why.
 */
export interface Pipeline {
  start(microphoneId: string | null, signal: AbortSignal): Promise<void>;
  stop(): void;
  /** The user pressed Stop during a reply: it is silenced now and keeps what was heard. */
  stopReply(): void;
  /** A setting that applies at once changed (push to talk, half duplex). */
  settingsChanged(): void;
  /** A typed message; the click that sent it also opens the speakers. */
  sendText(text: string): Promise<void>;
  /** Push to talk held (true) or not: nothing is heard while not held. */
  hold(held: boolean): void;
  /** Ends the turn being heard now (Send now; push to talk let go). */
  sendNow(): void;
  /** Forgets the conversation; resolves with a sentence where the pipeline had to do more (a new server session). */
  newConversation(): string | null;
  /**
   * Goes on with an earlier conversation (a kept one, a reload): forgets the current one and gives
   * the model these exchanges as its history. The exchanges themselves are the caller's to show.
   * A sentence where the pipeline cannot do it all (a Realtime server's session starts afresh).
   */
  continueConversation(exchanges: readonly Exchange[]): string | null;
  selectMicrophone(deviceId: string | null): Promise<void>;
  selectSpeaker(deviceId: string | null): Promise<void>;
  /** Resumes audio the browser paused; call it from a click. */
  resume(): Promise<void>;
  /** Refreshes the device lists (a device came or went). */
  refreshDevices(): Promise<void>;
}
