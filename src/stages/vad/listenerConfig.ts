/**
 * What listening is started with, taken from the settings by key: turn-taking's own settings
 * for the VAD worker, the Silero and Smart Turn models, and the microphone's processing.
 */
import type { MicrophoneOptions } from '../../audio/microphone';
import { smartTurnModelUrl } from '../../models/modelLocation';
import { pickSettings, type SettingKey, type Settings } from '../../settings/schema';
import { TURN_DETECTOR_SETTINGS, type TurnDetectorOptions } from './turnDetector';

/** Every setting listening reads. */
export const LISTENER_SETTINGS = [
  ...TURN_DETECTOR_SETTINGS,
  'silero_vad_version',
  'smart_turn_model_path',
  'smart_turn_cpu_count',
  'models_base_url',
  'echo_cancellation',
  'noise_suppression',
  'auto_gain_control',
] as const satisfies readonly SettingKey[];

export type ListenerSettings = Pick<Settings, (typeof LISTENER_SETTINGS)[number]>;

export interface ListenerConfig {
  readonly turnDetection: TurnDetectorOptions;
  readonly sileroVersion: 'v5' | 'v6';
  readonly smartTurnModelUrl: string | null;
  readonly threads: number;
  readonly microphone: MicrophoneOptions;
}

export function listenerConfig(settings: ListenerSettings, microphoneId: string | null, page: string, crossOriginIsolated: boolean): ListenerConfig {
  return {
    turnDetection: pickSettings(settings, TURN_DETECTOR_SETTINGS),
    sileroVersion: settings.silero_vad_version,
    smartTurnModelUrl: smartTurnModelUrl(settings, page),
    // Without cross-origin isolation onnxruntime-web has one thread anyway.
    threads: crossOriginIsolated ? settings.smart_turn_cpu_count : 1,
    microphone: {
      deviceId: microphoneId,
      echoCancellation: settings.echo_cancellation,
      noiseSuppression: settings.noise_suppression,
      autoGainControl: settings.auto_gain_control,
    },
  };
}
