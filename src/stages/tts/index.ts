/** The text-to-speech stage, as the rest of the app sees it. */
export { SpeechError } from './errors';
export type { SpeechSynthesizer } from './speechSynthesizer';
export { VOICE_SETTINGS, VoiceModels, type VoiceSettings, type VoiceStatus } from './voiceModels';
export { DEFAULT_KOKORO_MODEL } from './kokoroModel';
export { mmsModelId } from './mmsLanguage';
