/**
 * The assistant's voice for the page: the speakers (opened on a click), the text-to-speech model
 * (loaded once, with progress), each reply's ReplySpeech, and barge-in: the user's voice ducks
 * the reply at once, confirmed speech stops it.
 */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import { Player } from '../audio/player';
import type { PlayedReport } from '../audio/playbackQueue';
import type { FileProgress } from '../models/transformersLoading';
import { ReplySpeech, type ReplySpeechEvents, type SpeechSynthesis } from '../pipeline/replySpeech';
import type { ReplyVoice } from '../pipeline/replyVoice';
import { WebSpeechReply } from '../pipeline/webSpeechReply';
import { OpenAiSpeech } from '../stages/tts/openaiSpeech';
import type { Settings } from '../settings/schema';
import { KokoroSpeech } from '../stages/tts/kokoroSpeech';
import { settingsStore } from './settings';
import { markMoment } from '../pipeline/timeline';

interface SpeechState {
  readonly status: 'off' | 'loading' | 'ready' | 'failed';
  readonly detail: string | null;
  readonly files: Readonly<Record<string, FileProgress>>;
  /** Whether the assistant's voice is playing now. */
  readonly speaking: boolean;
  /** Samples played since the page opened: proof that audio reached the speakers. */
  readonly samplesPlayed: number;
  /** The browser paused the speakers: replies are silent until a click resumes them. */
  readonly suspended: boolean;
}

export const speechStore = createStore<SpeechState>()(() => ({ status: 'off', detail: null, files: {}, speaking: false, samplesPlayed: 0, suspended: false }));

export function useSpeech<T>(selector: (state: SpeechState) => T): T {
  return useStore(speechStore, selector);
}

/** How long a duck waits for the speech to be confirmed before the volume comes back. */
const DUCK_HOLD_MS = 700;

let player: Promise<Player> | null = null;
let synthesis: { key: string; speech: Promise<KokoroSpeech> } | null = null;
const replies = new Set<ReplyVoice>();
let duckTimer: ReturnType<typeof setTimeout> | null = null;

function onPlayed(reports: readonly PlayedReport[]): void {
  let samples = 0;
  for (const report of reports) {
    for (const reply of replies) if (reply.owns(report.id)) reply.onPlayed(report);
    samples += report.played;
  }
  speechStore.setState((state) => ({ samplesPlayed: state.samplesPlayed + samples }));
}

/** Opens the speakers; call it from a click (browsers start audio only after a user gesture). */
export function openSpeakers(): void {
  player ??= Player.create(onPlayed).then(
    (opened) => {
      opened.onStateChange(() => speechStore.setState({ suspended: opened.suspended }));
      return opened;
    },
    (error: unknown) => {
      player = null;
      speechStore.setState({ status: 'failed', detail: error instanceof Error ? error.message : String(error) });
      throw error;
    },
  );
}

/** Resumes speakers the browser paused; call it from a click. */
export function resumeSpeakers(): void {
  void player?.then((opened) => opened.resume());
}

function synthesisKey(settings: Settings): string {
  return JSON.stringify([settings.tts, settings.kokoro_model_name, settings.kokoro_device, settings.device, settings.models_base_url]);
}

async function currentSynthesis(settings: Settings, outputRate: number): Promise<SpeechSynthesis> {
  if (settings.tts === 'openai') {
    speechStore.setState({ status: 'ready', detail: `${settings.openai_tts_model} at ${settings.openai_tts_base_url}`, files: {} });
    return new OpenAiSpeech(settings, outputRate);
  }
  if (settings.tts !== 'kokoro') throw new Error(`tts ${settings.tts} is not available in this version yet; choose kokoro, openai or web-speech to hear replies. Replies are shown as text meanwhile.`);
  const key = synthesisKey(settings);
  if (synthesis?.key !== key) {
    synthesis?.speech.then((speech) => speech.dispose()).catch(() => undefined);
    speechStore.setState({ status: 'loading', detail: null, files: {} });
    const speech = KokoroSpeech.load(settings, outputRate, (progress) => speechStore.setState((state) => ({ files: { ...state.files, [progress.file]: progress } }))).then(
      (loaded) => {
        speechStore.setState({ status: 'ready', detail: `Kokoro, ${loaded.runtime.reason}` });
        return loaded;
      },
      (error: unknown) => {
        synthesis = null;
        speechStore.setState({ status: 'failed', detail: error instanceof Error ? error.message : String(error) });
        throw error;
      },
    );
    synthesis = { key, speech };
  }
  const speech = await synthesis.speech;
  speech.configure(settings);
  return speech;
}

/** Starts loading the voice, so the first reply does not wait for it. */
export function prepareSpeech(): void {
  openSpeakers();
  // The browser's own voice has nothing to load.
  if (settingsStore.getState().settings.tts === 'web-speech') return;
  void player
    ?.then((speakers) => currentSynthesis(settingsStore.getState().settings, speakers.sampleRate))
    .catch(() => undefined);
}

function refreshSpeaking(): void {
  speechStore.setState({ speaking: [...replies].some((reply) => reply.audible) });
}

/** Keeps a reply among those that may play while it may, and the speaking state in step with it. */
function tracked(events: ReplySpeechEvents, create: (events: ReplySpeechEvents) => ReplyVoice): ReplyVoice {
  const reply: ReplyVoice = create({
    ...events,
    onPlaying: () => {
      refreshSpeaking();
      events.onPlaying?.();
    },
    onDone: () => {
      replies.delete(reply);
      refreshSpeaking();
      events.onDone?.();
    },
  });
  replies.add(reply);
  return reply;
}

/** The speech of one reply; `null` when there is no way to speak it (no speakers opened yet, no Web Speech). */
export function startReplySpeech(events: ReplySpeechEvents): ReplyVoice | null {
  const settings = settingsStore.getState().settings;
  if (settings.tts === 'web-speech') {
    // The browser speaks the reply itself.
    if (typeof speechSynthesis === 'undefined') {
      speechStore.setState({ status: 'failed', detail: 'This browser has no speech synthesis (the Web Speech API). Choose tts kokoro or openai; replies are shown as text meanwhile.' });
      return null;
    }
    speechStore.setState({ status: 'ready', detail: settings.web_speech_voice ? `the browser's voice ${settings.web_speech_voice}` : "the browser's own voice", files: {} });
    const options = { voice: settings.web_speech_voice, rate: settings.web_speech_rate };
    return tracked(events, (voiceEvents) => new WebSpeechReply(speechSynthesis, (text) => new SpeechSynthesisUtterance(text), options, voiceEvents));
  }
  if (!player) return null;
  const speakers = player;
  const synthesis: SpeechSynthesis = {
    speak: async (text, signal) => {
      const opened = await speakers;
      return (await currentSynthesis(settingsStore.getState().settings, opened.sampleRate)).speak(text, signal);
    },
  };
  const output = {
    play: (id: number, samples: Float32Array) => void speakers.then((opened) => opened.play(id, samples)),
    flush: async () => (await speakers).flush(),
  };
  return tracked(events, (voiceEvents) => new ReplySpeech(synthesis, output, voiceEvents));
}

/** Stops a reply's speech; resolves with the words the user heard. */
export async function stopReplySpeech(reply: ReplyVoice): Promise<string> {
  const heard = await reply.stop();
  replies.delete(reply);
  refreshSpeaking();
  return heard;
}

function duck(ducked: boolean): void {
  void player?.then((opened) => opened.duck(ducked));
  for (const reply of replies) if (reply instanceof WebSpeechReply) reply.duck(ducked);
}

/** The user may be starting to speak over the reply: lower it at once; it comes back unless the speech is confirmed. */
export function maybeUserSpeech(): void {
  if (!speechStore.getState().speaking) return;
  if (duckTimer === null) markMoment('duck');
  duck(true);
  if (duckTimer !== null) clearTimeout(duckTimer);
  duckTimer = setTimeout(() => {
    duckTimer = null;
    duck(false);
  }, DUCK_HOLD_MS);
}

/** The speech was confirmed (or the reply stopped): the volume is restored for what plays next. */
export function endDuck(): void {
  if (duckTimer !== null) clearTimeout(duckTimer);
  duckTimer = null;
  duck(false);
}
