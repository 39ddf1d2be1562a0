/**
 * The microphone: opening it with the user's choices, and saying in plain words why it could not
 * be opened and what to do.
 */

export interface MicrophoneOptions {
  /** A device from `listMicrophones`, or null for the browser's default. */
  readonly deviceId: string | null;
  readonly echoCancellation: boolean;
  readonly noiseSuppression: boolean;
  readonly autoGainControl: boolean;
}

export interface MicrophoneInfo {
  readonly deviceId: string;
  readonly label: string;
}

export class MicrophoneError extends Error {
  override readonly name = 'MicrophoneError';
}

/** Why getUserMedia failed, as a sentence with what to do. */
export function describeMicrophoneError(error: unknown): string {
  const name = error instanceof DOMException || error instanceof Error ? error.name : '';
  switch (name) {
    case 'NotAllowedError':
    case 'SecurityError':
      return 'The microphone is blocked for this page. Allow it in the browser’s site settings (the icon left of the address), then click Start listening again.';
    case 'NotFoundError':
      return 'No microphone was found. Connect one, then click Start listening again.';
    case 'NotReadableError':
    case 'AbortError':
      return 'The microphone is in use by another application or could not be started. Close the other application or choose another microphone, then try again.';
    case 'OverconstrainedError':
      return 'The chosen microphone is no longer available. Choose another one, then try again.';
    default:
      return `The microphone could not be opened (${error instanceof Error ? error.message : String(error)}). Check it is connected and allowed, then try again.`;
  }
}

export async function openMicrophone(options: MicrophoneOptions): Promise<MediaStream> {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new MicrophoneError('This page cannot use a microphone: open it over HTTPS (or on localhost) in a current browser.');
  }
  try {
    return await navigator.mediaDevices.getUserMedia({
      audio: {
        ...(options.deviceId ? { deviceId: { exact: options.deviceId } } : {}),
        echoCancellation: options.echoCancellation,
        noiseSuppression: options.noiseSuppression,
        autoGainControl: options.autoGainControl,
        channelCount: { ideal: 1 },
      },
    });
  } catch (error) {
    throw new MicrophoneError(describeMicrophoneError(error), { cause: error });
  }
}

/** The microphones the browser lists (their names appear once the page may use one). */
export async function listMicrophones(): Promise<MicrophoneInfo[]> {
  if (!navigator.mediaDevices?.enumerateDevices) return [];
  const devices = await navigator.mediaDevices.enumerateDevices();
  return devices
    .filter((device) => device.kind === 'audioinput' && device.deviceId !== '')
    .map((device, index) => ({ deviceId: device.deviceId, label: device.label || `Microphone ${index + 1}` }));
}
