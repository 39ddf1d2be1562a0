/**
 * Which synthesizer speaks a reply, and the local voice model kept between replies. The reply's
 * language comes with the reply: as the reference's handlers do, Kokoro's voice and MMS's model
 * follow the language speech to text reported, and keep it for later replies until another is
 * reported (a typed message has none). A local model is loaded once, replaced when the voice
 * needs another, and a failed load is tried again with the next batch. A model that stops after
 * loading is loaded again by itself once (on WASM after a GPU loss), then when asked (`prepare`).
 */
import type { LoadProgress } from '../../models/loadProgress';
import { languageName } from '../../settings/languages';
import type { SettingKey, Settings } from '../../settings/schema';
import { RestartPolicy, stageStopped } from '../../worker/restartPolicy';
import { errorMessage, type StageError } from '../../worker/stageError';
import { DEFAULT_KOKORO_MODEL } from './kokoroModel';
import { followLanguage, type KokoroVoiceChoice } from './kokoroLanguage';
import { LocalSpeech, type LocalSpeechSettings, type LocalVoiceModel } from './localSpeech';
import { mmsLanguageAfter, mmsModelId } from './mmsLanguage';
import { OPENAI_TTS_SETTINGS, OpenAiSpeech } from './openaiSpeech';
import type { SpeechSynthesizer } from './speechSynthesizer';

/** Every setting the voice reads. */
export const VOICE_SETTINGS = [
  'tts',
  'device',
  'models_base_url',
  'kokoro_model_name',
  'kokoro_device',
  'kokoro_voice',
  'kokoro_lang_code',
  'kokoro_speed',
  'facebook_mms_model_name',
  'tts_language',
  'facebook_mms_device',
  'facebook_mms_torch_dtype',
  ...OPENAI_TTS_SETTINGS,
  'web_speech_voice',
  'web_speech_rate',
] as const satisfies readonly SettingKey[];

export type VoiceSettings = Pick<Settings, (typeof VOICE_SETTINGS)[number]>;

export type VoiceStatus =
  | { readonly kind: 'loading' }
  | { readonly kind: 'file'; readonly progress: LoadProgress }
  | { readonly kind: 'ready'; readonly description: string }
  | { readonly kind: 'failed'; readonly message: string }
  /** The loaded voice stopped; `restarting`: it loads again by itself, else `prepare` brings it back. */
  | { readonly kind: 'stopped'; readonly message: string; readonly restarting: boolean }
  /** Something to know about the voice (a language it cannot speak); null clears it. */
  | { readonly kind: 'notice'; readonly notice: string | null };

export type LoadLocalSpeech = (
  model: LocalVoiceModel,
  settings: LocalSpeechSettings,
  outputRate: number,
  onProgress: (progress: LoadProgress) => void,
  onStopped: (error: StageError) => void,
) => Promise<Pick<LocalSpeech, 'runtime' | 'voices' | 'speak' | 'dispose'>>;

export class VoiceModels {
  private local: { key: string; speech: Promise<Awaited<ReturnType<LoadLocalSpeech>>> } | null = null;
  private readonly restarts = new RestartPolicy();
  /** Kokoro's voice as it followed the language, for the voice settings it started from. */
  private kokoroVoice: { readonly from: string; readonly choice: KokoroVoiceChoice } | null = null;
  /** MMS's language as it followed the reported one, for the tts_language it started from. */
  private mmsLanguage: { readonly from: string; readonly language: string } | null = null;

  constructor(
    private readonly onStatus: (status: VoiceStatus) => void,
    private readonly loadLocal: LoadLocalSpeech = (model, settings, outputRate, onProgress, onStopped) => LocalSpeech.load(model, settings, outputRate, onProgress, onStopped),
  ) {}

  /** The synthesizer of one reply in `language` (null: the language followed so far). Not for web-speech, which has no model. */
  forReply(settings: VoiceSettings, language: string | null, outputRate: number): SpeechSynthesizer {
    if (settings.tts === 'openai') {
      this.onStatus({ kind: 'ready', description: `${settings.openai_tts_model} at ${settings.openai_tts_base_url}` });
      return new OpenAiSpeech(settings, outputRate);
    }
    if (settings.tts === 'web-speech') throw new Error('tts web-speech has no model to speak with.');
    if (settings.tts === 'facebookMMS') {
      const model = this.followMms(settings, language);
      return { speak: async (text, signal) => (await this.model(model, settings, outputRate)).speak(text, { voice: '', speed: 1 }, signal) };
    }
    const model: LocalVoiceModel = { modelId: settings.kokoro_model_name ?? DEFAULT_KOKORO_MODEL, engine: 'kokoro' };
    // The voice is chosen once for the reply, once the model says which voices it has.
    let voice: Promise<string> | null = null;
    return {
      speak: async (text, signal) => {
        const speech = await this.model(model, settings, outputRate);
        voice ??= Promise.resolve(this.followKokoro(settings, language, speech.voices));
        return speech.speak(text, { voice: await voice, speed: settings.kokoro_speed }, signal);
      },
    };
  }

  /** Starts loading the voice the next reply would use, so it does not wait for it. */
  prepare(settings: VoiceSettings, outputRate: number): void {
    if (settings.tts !== 'kokoro' && settings.tts !== 'facebookMMS') return;
    const model: LocalVoiceModel =
      settings.tts === 'kokoro' ? { modelId: settings.kokoro_model_name ?? DEFAULT_KOKORO_MODEL, engine: 'kokoro' } : { modelId: mmsModelId(this.currentMmsLanguage(settings), settings.facebook_mms_model_name), engine: 'mms' };
    this.model(model, settings, outputRate).catch(() => undefined);
  }

  /** A new conversation speaks as the settings say again, as the reference resets its voice when a session ends. */
  resetLanguage(): void {
    this.kokoroVoice = null;
    this.mmsLanguage = null;
    this.onStatus({ kind: 'notice', notice: null });
  }

  dispose(): void {
    this.local?.speech.then((speech) => speech.dispose()).catch(() => undefined);
    this.local = null;
  }

  private model(model: LocalVoiceModel, settings: VoiceSettings, outputRate: number): Promise<Awaited<ReturnType<LoadLocalSpeech>>> {
    const device = model.engine === 'kokoro' ? [settings.kokoro_device] : [settings.facebook_mms_device, settings.facebook_mms_torch_dtype];
    const key = JSON.stringify([model, ...device, settings.device, settings.models_base_url, outputRate]);
    if (this.local?.key === key) return this.local.speech;
    // A new model (another language for MMS) replaces the old one.
    this.dispose();
    this.onStatus({ kind: 'loading' });
    const name = model.engine === 'kokoro' ? 'Kokoro' : `MMS (${model.modelId})`;
    const onStopped = (error: StageError) => this.onStopped(key, error, () => void this.model(model, settings, outputRate).catch(() => undefined));
    const speech = this.loadLocal(model, settings, outputRate, (progress) => this.onStatus({ kind: 'file', progress }), onStopped).then(
      (loaded) => {
        this.onStatus({ kind: 'ready', description: `${name}, ${loaded.runtime.reason}` });
        return loaded;
      },
      (error: unknown) => {
        if (this.local?.key === key) this.local = null;
        this.onStatus({ kind: 'failed', message: errorMessage(error) });
        throw error;
      },
    );
    this.local = { key, speech };
    return speech;
  }

  /** The loaded voice cannot speak any more: it is let go, and loaded again by itself once. */
  private onStopped(key: string, error: StageError, reload: () => void): void {
    if (this.local?.key !== key) return;
    this.dispose();
    const { restarting, message } = stageStopped(error, 'The voice', this.restarts);
    this.onStatus({ kind: 'stopped', message, restarting });
    if (restarting) reload();
  }

  private currentMmsLanguage(settings: VoiceSettings): string {
    return this.mmsLanguage?.from === settings.tts_language ? this.mmsLanguage.language : settings.tts_language;
  }

  /** MMS's model after a reply in `language`: its language's model, or English where MMS has none here. */
  private followMms(settings: VoiceSettings, language: string | null): LocalVoiceModel {
    const next = mmsLanguageAfter(this.currentMmsLanguage(settings), language);
    const unsupported = next.unsupported === null ? null : (languageName(next.unsupported) ?? next.unsupported);
    this.onStatus({ kind: 'notice', notice: unsupported === null ? null : `MMS has no voice for ${unsupported} here, so replies are spoken in English. Choose tts openai or web-speech for that language.` });
    this.mmsLanguage = { from: settings.tts_language, language: next.language };
    return { modelId: mmsModelId(next.language, settings.facebook_mms_model_name), engine: 'mms' };
  }

  /** Kokoro's voice after a reply in `language`, where this Kokoro has a voice for it. */
  private followKokoro(settings: VoiceSettings, language: string | null, voices: readonly string[]): string {
    const from = JSON.stringify([settings.kokoro_voice, settings.kokoro_lang_code]);
    const current = this.kokoroVoice?.from === from ? this.kokoroVoice.choice : { langCode: settings.kokoro_lang_code, voice: settings.kokoro_voice };
    const next = followLanguage(current, language, (voice) => voices.includes(voice));
    const name = language === null ? 'another language' : (languageName(language) ?? language);
    this.onStatus({
      kind: 'notice',
      notice: next.unavailable ? `Kokoro in the browser has English voices only, so a reply in ${name} is spoken with ${current.voice}. Choose tts openai or web-speech to hear it in its own language.` : null,
    });
    this.kokoroVoice = { from, choice: { langCode: next.langCode, voice: next.voice } };
    return next.voice;
  }
}
