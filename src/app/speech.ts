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
import { DEFAULT_KOKORO_MODEL } from '../stages/tts/kokoroEngine';
import { followLanguage, type KokoroVoiceChoice } from '../stages/tts/kokoroLanguage';
import { LocalSpeech, type LocalVoiceModel } from '../stages/tts/localSpeech';
import { mmsLanguageAfter, mmsModelId } from '../stages/tts/mmsLanguage';
import { languageName } from '../settings/languages';
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
  /** Something the user should know about the voice, such as a language it cannot speak. */
  readonly notice: string | null;
}

export const speechStore = createStore<SpeechState>()(() => ({ status: 'off', detail: null, files: {}, speaking: false, samplesPlayed: 0, suspended: false, notice: null }));

export function useSpeech<T>(selector: (state: SpeechState) => T): T {
  return useStore(speechStore, selector);
}

/** How long a duck waits for the speech to be confirmed before the volume comes back. */
const DUCK_HOLD_MS = 700;

let player: Promise<Player> | null = null;
let synthesis: { key: string; speech: Promise<LocalSpeech> } | null = null;
/** The language speech-to-text reported for the latest turn: the voice follows it. */
let replyLanguage: string | null = null;
/** Kokoro's voice as it followed the language, for the voice settings it started from. */
let kokoroVoice: { readonly from: string; readonly choice: KokoroVoiceChoice } | null = null;
/** MMS's language as it followed the reported one, for the tts_language it started from. */
let mmsLanguage: { readonly from: string; readonly language: string } | null = null;
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

/** The language of the turn being answered; null (typed messages, stt none) keeps the current one. */
export function followReplyLanguage(language: string | null): void {
  if (language !== null) replyLanguage = language;
}

/** A new conversation speaks as the settings say again, as the reference resets its voice when a session ends. */
export function resetReplyLanguage(): void {
  replyLanguage = null;
  kokoroVoice = null;
  mmsLanguage = null;
  speechStore.setState({ notice: null });
}

/** Which local model speaks now: Kokoro, or the MMS model of the language replies are in. */
function localVoiceModel(settings: Settings): LocalVoiceModel {
  if (settings.tts === 'kokoro') return { modelId: settings.kokoro_model_name ?? DEFAULT_KOKORO_MODEL, engine: 'kokoro' };
  const start = settings.tts_language;
  const current = mmsLanguage?.from === start ? mmsLanguage.language : start;
  const next = mmsLanguageAfter(current, replyLanguage);
  const notice = next.unsupported === null ? null : `MMS has no voice for ${languageName(next.unsupported) ?? next.unsupported} here, so replies are spoken in English. Choose tts openai or web-speech for that language.`;
  if (speechStore.getState().notice !== notice) speechStore.setState({ notice });
  mmsLanguage = { from: start, language: next.language };
  return { modelId: mmsModelId(next.language, settings.facebook_mms_model_name), engine: 'mms' };
}

/** Kokoro's voice after the latest turn's language, where this Kokoro has a voice for it. */
function currentKokoroVoice(settings: Settings, voices: readonly string[]): KokoroVoiceChoice {
  const from = JSON.stringify([settings.kokoro_voice, settings.kokoro_lang_code]);
  const current = kokoroVoice?.from === from ? kokoroVoice.choice : { langCode: settings.kokoro_lang_code, voice: settings.kokoro_voice };
  const next = followLanguage(current, replyLanguage, (voice) => voices.includes(voice));
  const language = replyLanguage === null ? 'another language' : (languageName(replyLanguage) ?? replyLanguage);
  const notice = next.unavailable ? `Kokoro in the browser has English voices only, so a reply in ${language} is spoken with ${current.voice}. Choose tts openai or web-speech to hear it in its own language.` : null;
  if (speechStore.getState().notice !== notice) speechStore.setState({ notice });
  kokoroVoice = { from, choice: { langCode: next.langCode, voice: next.voice } };
  return kokoroVoice.choice;
}

async function currentSynthesis(settings: Settings, outputRate: number): Promise<SpeechSynthesis> {
  if (settings.tts === 'openai') {
    speechStore.setState({ status: 'ready', detail: `${settings.openai_tts_model} at ${settings.openai_tts_base_url}`, files: {} });
    return new OpenAiSpeech(settings, outputRate);
  }
  // The browser's own voice (web-speech) speaks without a model: its replies never come here.
  if (settings.tts === 'web-speech') throw new Error('tts web-speech has no model to load.');
  const model = localVoiceModel(settings);
  const device = model.engine === 'kokoro' ? [settings.kokoro_device] : [settings.facebook_mms_device, settings.facebook_mms_torch_dtype];
  const key = JSON.stringify([model, ...device, settings.device, settings.models_base_url]);
  if (synthesis?.key !== key) {
    // A new model (another language for MMS) replaces the old one.
    synthesis?.speech.then((speech) => speech.dispose()).catch(() => undefined);
    speechStore.setState({ status: 'loading', detail: null, files: {} });
    const name = model.engine === 'kokoro' ? 'Kokoro' : `MMS (${model.modelId})`;
    const speech = LocalSpeech.load(model, settings, outputRate, (progress) => speechStore.setState((state) => ({ files: { ...state.files, [progress.file]: progress } }))).then(
      (loaded) => {
        speechStore.setState({ status: 'ready', detail: `${name}, ${loaded.runtime.reason}` });
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
  if (model.engine === 'kokoro') speech.configure(currentKokoroVoice(settings, speech.voices).voice, settings.kokoro_speed);
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
