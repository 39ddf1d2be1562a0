/**
 * Consent for every destination: a setting that names where something of the user's goes (their
 * voice, their words, a key) or where models come from may point at a host that a link, a pasted
 * command line or an imported file chose, but nothing is sent there or fetched from there until
 * the user confirms that host. Allowed without asking: this site itself, the hosts the site's own
 * defaults name, hosts the user confirmed ("Use <host>"), and hosts the user typed into a setting.
 * The import still applies (so the stage does not quietly use the old host instead); the stage
 * waits, and the page offers `Use <host>` or to keep the value the import replaced.
 */
import { OPENAI_BASE_URL, hostOf } from './keyBinding';
import { DESTINATION_KEYS, defaultSettings, entryOf, type SettingKey, type Settings } from './schema';
import { showValue, splitUrlList } from './valueTypes';

export interface HostConsent {
  /** Origins the user allowed with `Use <host>`, in the order allowed. */
  readonly confirmed: readonly string[];
  /** For each destination the user set in the settings panel, the origin they typed: their own choice needs no question. */
  readonly typed: Readonly<Partial<Record<SettingKey, string>>>;
  /** The value a link or an import replaced with one on a host not allowed yet: what "Keep" puts back. */
  readonly replaced: Readonly<Partial<Record<SettingKey, unknown>>>;
}

export const NO_CONSENT: HostConsent = { confirmed: [], typed: {}, replaced: {} };

/** The record without `key`. */
function without<V>(record: Readonly<Partial<Record<SettingKey, V>>>, key: SettingKey): Partial<Record<SettingKey, V>> {
  return Object.fromEntries(Object.entries(record).filter(([name]) => name !== key));
}

function originOf(url: string, page: string): string | null {
  try {
    const origin = new URL(url, page).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}

/**
 * The origin a destination setting sends to or downloads from; null where the setting names none
 * (a Smart Turn path under the models location: that location's own consent covers it).
 */
export function destinationOrigin(settings: Settings, key: SettingKey, page: string): string | null {
  const value = settings[key];
  if (key === 'responses_api_base_url') return originOf((value as string | null) ?? OPENAI_BASE_URL, page);
  if (key === 'smart_turn_model_path') return typeof value === 'string' && /^https?:\/\//i.test(value) ? originOf(value, page) : null;
  if (key === 'mcp_servers') return destinationOrigins(settings, key, page)[0] ?? null;
  return typeof value === 'string' ? originOf(value, page) : null;
}

/** Every origin a destination setting names: one, or each of a list's (`mcp_servers`). */
export function destinationOrigins(settings: Settings, key: SettingKey, page: string): string[] {
  if (key === 'mcp_servers') return [...new Set(splitUrlList(settings.mcp_servers).map((url) => originOf(url, page)).filter((origin): origin is string => origin !== null))];
  const origin = destinationOrigin(settings, key, page);
  return origin === null ? [] : [origin];
}

/** This site, and the hosts its own defaults name: allowed without asking. */
export function siteOrigins(page: string): Set<string> {
  const defaults = defaultSettings();
  const origins = [originOf(page, page), originOf(OPENAI_BASE_URL, page), ...DESTINATION_KEYS.flatMap((key) => destinationOrigins(defaults, key, page))];
  return new Set(origins.filter((origin): origin is string => origin !== null));
}

/** Every origin allowed now: the site's, the confirmed ones and the typed ones. */
export function allowedOrigins(consent: HostConsent, page: string): Set<string> {
  return new Set([...siteOrigins(page), ...consent.confirmed, ...Object.values(consent.typed).filter((origin): origin is string => typeof origin === 'string')]);
}

/** Whether a request to `url` may go out. */
export function isAllowedUrl(url: string, consent: HostConsent, page: string): boolean {
  const origin = originOf(url, page);
  return origin !== null && allowedOrigins(consent, page).has(origin);
}

/** A destination pointing at a host the user has not allowed. */
export interface WaitingDestination {
  readonly key: SettingKey;
  readonly origin: string;
  readonly host: string;
  /** What the import replaced, for "Keep"; undefined where nothing is known (the default is put back). */
  readonly previous: unknown;
}

/** The destinations among `keys` (all by default) that wait for the user to allow their host. */
export function waitingDestinations(settings: Settings, consent: HostConsent, page: string, keys: readonly SettingKey[] = DESTINATION_KEYS): WaitingDestination[] {
  const allowed = allowedOrigins(consent, page);
  return keys.flatMap((key) =>
    destinationOrigins(settings, key, page)
      .filter((origin) => !allowed.has(origin))
      .map((origin) => ({ key, origin, host: hostOf(origin), previous: Object.hasOwn(consent.replaced, key) ? consent.replaced[key] : undefined })),
  );
}

/** The sentence a stage shows while it waits for a host. */
export function describeWaiting(waiting: WaitingDestination): string {
  return `Waiting for you to allow ${waiting.host}: ${waiting.key} points there, and it was set by a link or an import, so nothing has been sent there. Choose “Use ${waiting.host}” at the top of the page if you trust it, or change ${waiting.key} in the settings.`;
}

/**
 * The consent after a link or an import changed settings: each destination it moved to a host not
 * allowed remembers the value it replaced (the first one, over several imports), so "Keep" can put
 * it back; one it moved to an allowed host needs nothing kept.
 */
export function consentAfterImport(before: Settings, after: Settings, consent: HostConsent, page: string): HostConsent {
  const allowed = allowedOrigins(consent, page);
  let replaced = consent.replaced;
  for (const key of DESTINATION_KEYS) {
    if (Object.is(before[key], after[key])) continue;
    if (destinationOrigins(after, key, page).every((origin) => allowed.has(origin))) replaced = without(replaced, key);
    else if (!Object.hasOwn(replaced, key)) replaced = { ...replaced, [key]: before[key] };
  }
  return { ...consent, replaced };
}

/** The consent after the user set `key` in the panel: the host they typed is theirs. */
export function consentAfterPanelEdit(after: Settings, consent: HostConsent, key: SettingKey, page: string): HostConsent {
  if (!DESTINATION_KEYS.includes(key)) return consent;
  // A list's hosts typed by the user are each theirs: allowed as if confirmed.
  if (key === 'mcp_servers') {
    const typed = destinationOrigins(after, key, page).filter((origin) => !consent.confirmed.includes(origin));
    return { ...consent, confirmed: [...consent.confirmed, ...typed], replaced: without(consent.replaced, key) };
  }
  const origin = destinationOrigin(after, key, page);
  return { ...consent, typed: origin === null ? without(consent.typed, key) : { ...consent.typed, [key]: origin }, replaced: without(consent.replaced, key) };
}

/** The user allowed `origin`: every destination pointing there may use it, and what it replaced is forgotten. */
export function confirmOrigin(settings: Settings, consent: HostConsent, origin: string, page: string): HostConsent {
  const confirmed = consent.confirmed.includes(origin) ? consent.confirmed : [...consent.confirmed, origin];
  const allowed = new Set([...allowedOrigins(consent, page), origin]);
  // What a link replaced is forgotten once every host the setting names now is allowed.
  const replaced = Object.fromEntries(Object.entries(consent.replaced).filter(([key]) => !destinationOrigins(settings, key as SettingKey, page).every((named) => allowed.has(named))));
  return { ...consent, confirmed, replaced };
}

/** The user took back `origin`: what points there waits again. */
export function forgetOrigin(consent: HostConsent, origin: string): HostConsent {
  const typed = Object.fromEntries(Object.entries(consent.typed).filter(([, typedOrigin]) => typedOrigin !== origin));
  return { ...consent, confirmed: consent.confirmed.filter((confirmed) => confirmed !== origin), typed };
}

/**
 * "Keep": the destinations waiting for `origin` go back to what they were before the import (the
 * default where that is not known). Returns the settings and the consent without those records.
 */
export function keepPrevious(settings: Settings, consent: HostConsent, origin: string, page: string): { settings: Settings; consent: HostConsent } {
  const next = { ...settings } as Record<string, unknown>;
  let replaced = consent.replaced;
  for (const waiting of waitingDestinations(settings, consent, page)) {
    if (waiting.origin !== origin) continue;
    next[waiting.key] = waiting.previous === undefined ? structuredClone(entryOf(waiting.key).default) : waiting.previous;
    replaced = without(replaced, waiting.key);
  }
  return { settings: next as Settings, consent: { ...consent, replaced } };
}

/**
 * Consent as saved: malformed parts are dropped. Settings saved before consent existed were the
 * user's own (they were applied under the older rules and used since): their hosts are allowed.
 */
export function savedConsent(saved: unknown, settings: Settings, page: string): HostConsent {
  if (saved === undefined) {
    const site = siteOrigins(page);
    const inUse = DESTINATION_KEYS.flatMap((key) => destinationOrigins(settings, key, page)).filter((origin) => !site.has(origin));
    return { ...NO_CONSENT, confirmed: [...new Set(inUse)] };
  }
  const record = saved !== null && typeof saved === 'object' ? (saved as Record<string, unknown>) : {};
  const confirmed = Array.isArray(record.confirmed) ? record.confirmed.filter((origin): origin is string => typeof origin === 'string' && originOf(origin, page) === origin) : [];
  const typed: Partial<Record<SettingKey, string>> = {};
  const replaced: Partial<Record<SettingKey, unknown>> = {};
  const typedRecord = record.typed !== null && typeof record.typed === 'object' ? (record.typed as Record<string, unknown>) : {};
  const replacedRecord = record.replaced !== null && typeof record.replaced === 'object' ? (record.replaced as Record<string, unknown>) : {};
  for (const key of DESTINATION_KEYS) {
    const origin = Object.hasOwn(typedRecord, key) ? typedRecord[key] : undefined;
    if (typeof origin === 'string' && originOf(origin, page) === origin) typed[key] = origin;
    if (!Object.hasOwn(replacedRecord, key)) continue;
    // A kept value is checked as the setting's own would be; a bad one means "the default".
    const checked = entryOf(key).type.fromJson(replacedRecord[key]);
    if (checked.ok) replaced[key] = checked.value;
  }
  return { confirmed: [...new Set(confirmed)], typed, replaced };
}

/** The consent as it is saved (kept values as JSON). */
export function consentToJson(consent: HostConsent): unknown {
  const replaced = Object.fromEntries(Object.entries(consent.replaced).map(([key, value]) => [key, entryOf(key as SettingKey).type.toJson(value)]));
  return { confirmed: consent.confirmed, typed: consent.typed, replaced };
}

/** "huggingface.co", or "/models/ on this site", for a kept value. */
export function describeDestinationValue(key: SettingKey, value: unknown, page: string): string {
  if (value === null || value === undefined || value === '') return key === 'responses_api_base_url' ? hostOf(OPENAI_BASE_URL) : '(empty)';
  if (key === 'mcp_servers' && typeof value === 'string') return splitUrlList(value).map((url) => describeDestinationValue('responses_api_base_url', url, page)).join(', ');
  const origin = typeof value === 'string' ? originOf(value, page) : null;
  if (origin === null) return showValue(value);
  return origin === originOf(page, page) ? `${new URL(value as string, page).pathname} on this site` : hostOf(origin);
}
