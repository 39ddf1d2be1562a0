/** The output devices the voice can play through, where the browser lets a page choose (Chrome, Edge: AudioContext.setSinkId). */
import type { MicrophoneInfo } from './microphone';

export async function listSpeakers(canChoose: boolean): Promise<MicrophoneInfo[] | null> {
  if (!canChoose || !navigator.mediaDevices?.enumerateDevices) return null;
  const devices = await navigator.mediaDevices.enumerateDevices();
  // "default" is the system's choice, which the page's own default (no choice) already follows.
  return devices
    .filter((device) => device.kind === 'audiooutput' && device.deviceId !== '' && device.deviceId !== 'default')
    .map((device, index) => ({ deviceId: device.deviceId, label: device.label || `Speakers ${index + 1}` }));
}
