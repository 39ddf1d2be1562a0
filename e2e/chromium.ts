import { existsSync } from 'node:fs';
import type { LaunchOptions } from '@playwright/test';

/** Chromium: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own browser. */
const executablePath = process.env.CHROMIUM_PATH ?? (existsSync('/usr/bin/chromium') ? '/usr/bin/chromium' : undefined);

const BASE_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  // Hard offline: only this machine answers, so a stray request fails loudly instead of leaking.
  '--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1, EXCLUDE localhost',
  '--autoplay-policy=no-user-gesture-required',
];

export function chromiumLaunchOptions(extraArgs: readonly string[] = []): LaunchOptions {
  return { ...(executablePath ? { executablePath } : {}), args: [...BASE_ARGS, ...extraArgs] };
}

/**
 * Chromium with a WAV file as its microphone, played once in real time from when the page opens it
 * (`loop`: over and over).
 */
export function withMicrophoneClip(wavPath: string, extraArgs: readonly string[] = [], loop = false): LaunchOptions {
  return chromiumLaunchOptions(['--use-fake-ui-for-media-stream', '--use-fake-device-for-media-stream', `--use-file-for-fake-audio-capture=${wavPath}${loop ? '' : '%noloop'}`, ...extraArgs]);
}
