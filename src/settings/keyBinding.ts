/**
 * An API key belongs to the endpoint it was entered for. The settings store remembers, for each
 * key, the base URL of its endpoint when the key was entered (typed in the panel, or brought by
 * the same import). When a link, a pasted command line or an imported file then points that
 * endpoint at another host, the key is held: it is sent nowhere (and neither is anything else
 * for that endpoint) until the user confirms the new host in the page, or puts the old one back.
 */
import { SECRET_KEYS, entryOf, type EndpointKey, type SettingKey, type Settings } from './schema';

/** Where `responses-api` and `chat-completions` go when `responses_api_base_url` is empty. */
export const OPENAI_BASE_URL = 'https://api.openai.com/v1';

export type SecretKey = 'responses_api_api_key' | 'openai_stt_api_key' | 'openai_tts_api_key' | 'talk_api_key' | 'mcp_api_key';

/** For each stored key, the base URL of the endpoint it was entered for. */
export type KeyBindings = Partial<Record<SecretKey, string>>;

export function isSecretKey(key: SettingKey): key is SecretKey {
  return SECRET_KEYS.includes(key);
}

/** The setting that names a key's endpoint. */
export function endpointSetting(key: SecretKey): EndpointKey {
  const endpoint = entryOf(key).keyFor;
  if (!endpoint) throw new Error(`${key} has no endpoint in the schema.`);
  return endpoint;
}

/** Where the key would be sent with these settings. */
export function endpointOf(settings: Pick<Settings, EndpointKey>, key: SecretKey): string {
  return settings[endpointSetting(key)] ?? OPENAI_BASE_URL;
}

/** The host a URL names, as the page shows it (`api.openai.com`, `localhost:8000`). */
export function hostOf(url: string): string {
  try {
    return new URL(url).host;
  } catch {
    return url;
  }
}

function sameOrigin(a: string, b: string): boolean {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return a === b;
  }
}

/** A stored key whose endpoint now points at another host than the one it was entered for. */
export interface HeldKey {
  readonly key: SecretKey;
  /** The endpoint it was entered for, and where the settings now point. */
  readonly enteredFor: string;
  readonly endpoint: string;
}

export function heldKey(settings: Settings, bindings: KeyBindings, key: SecretKey): HeldKey | null {
  if (settings[key] === null) return null;
  const endpoint = endpointOf(settings, key);
  const enteredFor = bindings[key];
  // A key with no record (saved before keys were bound) belongs to where it is used.
  if (enteredFor === undefined || sameOrigin(enteredFor, endpoint)) return null;
  return { key, enteredFor, endpoint };
}

export function heldKeys(settings: Settings, bindings: KeyBindings): HeldKey[] {
  return SECRET_KEYS.filter(isSecretKey).flatMap((key) => heldKey(settings, bindings, key) ?? []);
}

/** The sentence for a request that was not sent because its key is held. */
export function describeHeldKey(held: HeldKey): string {
  return `${held.key} was entered for ${hostOf(held.enteredFor)}, but the settings now send it to ${hostOf(held.endpoint)}. Nothing was sent there: confirm that host at the top of the page, or put ${endpointSetting(held.key)} back.`;
}

/** Binds each stored key to where it is sent now (keys just entered, or confirmed for a new host). */
export function bindKeys(settings: Settings, bindings: KeyBindings, keys: readonly SecretKey[]): KeyBindings {
  const next = new Map(Object.entries(bindings) as [SecretKey, string][]);
  for (const key of keys) {
    if (settings[key] === null) next.delete(key);
    else next.set(key, endpointOf(settings, key));
  }
  return Object.fromEntries(next);
}

/**
 * The bindings after a change the user made in the panel: a key typed there belongs to its
 * endpoint; an endpoint edited there takes the keys that were not held with it (the user moved
 * their own endpoint). Changes from links and imports go through `afterImport` instead.
 */
export function afterPanelEdit(before: Settings, after: Settings, bindings: KeyBindings, changed: SettingKey): KeyBindings {
  const keys = SECRET_KEYS.filter(isSecretKey);
  if (isSecretKey(changed)) return bindKeys(after, bindings, [changed]);
  const moved = keys.filter((key) => endpointSetting(key) === changed && heldKey(before, bindings, key) === null);
  return bindKeys(after, bindings, moved);
}

/**
 * The bindings after an import (link, command line, JSON file): a key the import itself brought
 * belongs to the import's endpoint; the others stay bound where they were entered, so a changed
 * endpoint holds them.
 */
export function afterImport(before: Settings, after: Settings, bindings: KeyBindings): KeyBindings {
  const brought = SECRET_KEYS.filter(isSecretKey).filter((key) => after[key] !== before[key]);
  // Keys that were never bound (saved before binding existed) are bound where they were used.
  const unbound = SECRET_KEYS.filter(isSecretKey).filter((key) => before[key] !== null && bindings[key] === undefined && !brought.includes(key));
  return bindKeys(after, bindKeys(before, bindings, unbound), brought);
}
