/**
 * Starts the speech-to-text backend the settings select: Whisper in its worker (loading in the
 * background), or the OpenAI-compatible server (checked with a warm-up). `stt none` has no
 * transcriber: the turn's audio itself goes to the language model.
 */
import type { SettingKey, Settings } from '../../settings/schema';
import { OPENAI_STT_SETTINGS, OpenAiTranscriber } from './openaiTranscriber';
import { WHISPER_WORKER_SETTINGS } from './sttProtocol';
import type { Transcriber, TranscriberEvent } from './transcriber';
import { WhisperClient } from './whisperClient';

/** Every setting speech to text reads. */
export const TRANSCRIBER_SETTINGS = [
  'stt',
  ...WHISPER_WORKER_SETTINGS,
  'device',
  'stt_device',
  'stt_torch_dtype',
  'models_base_url',
  'enable_live_transcription',
  ...OPENAI_STT_SETTINGS,
] as const satisfies readonly SettingKey[];

export type TranscriberSettings = Pick<Settings, (typeof TRANSCRIBER_SETTINGS)[number]>;

export async function startTranscriber(settings: TranscriberSettings, onEvent: (event: TranscriberEvent) => void): Promise<Transcriber | null> {
  switch (settings.stt) {
    case 'none':
      return null;
    case 'openai': {
      const remote = new OpenAiTranscriber(settings, onEvent);
      void remote.warmUp();
      return remote;
    }
    case 'whisper':
      return WhisperClient.start(settings, onEvent);
  }
}
