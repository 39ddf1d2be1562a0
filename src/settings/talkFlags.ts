/**
 * The flags of the reference's `talk` client (`speech-to-speech talk --url ws://...`), as plain
 * argparse reads them: hyphenated names only, switches that take no value. Each is a `talk_*`
 * setting of this page, or a terminal-only flag that is accepted with what the page does instead.
 */
import type { SettingKey } from './schema';

export type TalkFlag =
  /** A setting; a `switch` takes no value (argparse's store_true). */
  | { readonly kind: 'setting'; readonly key: SettingKey; readonly switch?: boolean }
  /** Meaningful only in a terminal: accepted, ignored, and `instead` says what the page does. */
  | { readonly kind: 'terminal'; readonly switch: boolean; readonly instead: string };

const setting = (key: SettingKey, isSwitch = false): TalkFlag => ({ kind: 'setting', key, ...(isSwitch ? { switch: true } : {}) });
const terminal = (isSwitch: boolean, instead: string): TalkFlag => ({ kind: 'terminal', switch: isSwitch, instead });

export const TALK_FLAGS: ReadonlyMap<string, TalkFlag> = new Map<string, TalkFlag>([
  ['url', setting('talk_url')],
  ['model', setting('talk_model')],
  ['api-key', setting('talk_api_key')],
  ['send-rate', setting('talk_send_rate')],
  ['recv-rate', setting('talk_recv_rate')],
  ['instructions', setting('talk_instructions')],
  ['voice', setting('talk_voice')],
  ['block-mic-during-playback', setting('talk_block_mic_during_playback', true)],
  ['connection-retry-timeout', setting('talk_connection_retry_timeout')],
  // A browser addition: how the page reaches the server.
  ['transport', setting('talk_transport')],
  ['chunk-size', terminal(false, 'the browser’s audio worklets fix their own block size')],
  ['input-device', terminal(false, 'choose the microphone in the page (sounddevice numbers mean nothing in a browser)')],
  ['output-device', terminal(false, 'choose the speakers in the page (sounddevice numbers mean nothing in a browser)')],
  ['print-json', terminal(true, 'the page shows the conversation, and the browser’s developer tools show every WebSocket frame')],
  ['tool-module', terminal(false, 'Python tool modules cannot run in a browser')],
]);

/** The `talk` flag of a setting, for the exported `talk` line. */
export function talkFlagOf(key: SettingKey): { readonly name: string; readonly switch: boolean } | undefined {
  for (const [name, flag] of TALK_FLAGS) if (flag.kind === 'setting' && flag.key === key) return { name, switch: flag.switch ?? false };
  return undefined;
}

/** The settings a `talk` line configures. */
export const TALK_KEYS: readonly SettingKey[] = [...TALK_FLAGS.values()].flatMap((flag) => (flag.kind === 'setting' ? [flag.key] : []));
