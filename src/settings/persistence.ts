/**
 * How settings are saved in the browser (localStorage) and read back. What was saved may be
 * corrupt, hand-edited, or written by another version of the app: every value is checked against
 * the schema, a bad one is replaced by its default and reported, and nothing unreadable is thrown
 * away (it is kept beside the settings under a `.unreadable` key).
 */
import type { PersistStorage, StorageValue } from 'zustand/middleware';
import { consentToJson, type HostConsent } from './hostConsent';
import type { KeyBindings } from './keyBinding';
import { SETTING_KEYS, defaultSettings, entryOf, type Settings } from './schema';
import { showValue, type JsonValue } from './valueTypes';

export const STORAGE_KEY = 'speech-to-speech.settings';

/** Bumped whenever saved settings need a migration to be read by this version. */
export const SETTINGS_VERSION = 1;

/** Migrations by the version they start from: `MIGRATIONS[n]` turns version n into n + 1. */
export type Migrations = Readonly<Record<number, (settings: Record<string, unknown>) => Record<string, unknown>>>;
export const MIGRATIONS: Migrations = {};

export interface PersistedSettings {
  readonly settings: Settings;
  readonly keyBindings: KeyBindings;
  readonly hostConsent: HostConsent;
}

/** Reports what went wrong with saved settings, in sentences for the user. */
export type Reporter = (title: string, details: readonly string[]) => void;

export function settingsToJson(settings: Settings): Record<string, JsonValue> {
  const json: Record<string, JsonValue> = {};
  for (const key of SETTING_KEYS) json[key] = entryOf(key).type.toJson(settings[key]);
  return json;
}

/**
 * Saved settings as this version's settings. Missing settings (new in this version) take their
 * defaults silently; present but invalid ones take their defaults and are listed in `problems`.
 */
export function sanitizeSettings(saved: unknown): { settings: Settings; problems: string[] } {
  const settings = defaultSettings();
  const problems: string[] = [];
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) {
    problems.push(`The saved settings were ${showValue(saved)} instead of a set of settings; all were reset to their defaults.`);
    return { settings, problems };
  }
  for (const key of SETTING_KEYS) {
    if (!Object.hasOwn(saved, key)) continue;
    const entry = entryOf(key);
    const value = (saved as Record<string, unknown>)[key];
    const result = entry.type.fromJson(value);
    if (result.ok) (settings as Record<string, unknown>)[key] = result.value;
    else problems.push(`${key} was reset to ${showValue(entry.type.toText(entry.default))}: the saved value ${result.error}.`);
  }
  return { settings, problems };
}

/** Runs the migrations from `version` up to `SETTINGS_VERSION`. */
export function migrateSettings(saved: unknown, version: number, migrations: Migrations, currentVersion: number): unknown {
  if (saved === null || typeof saved !== 'object' || Array.isArray(saved)) return saved;
  let settings = { ...(saved as Record<string, unknown>) };
  for (let from = version; from < currentVersion; from++) {
    const migration = migrations[from];
    if (migration) settings = migration(settings);
  }
  return settings;
}

/**
 * Zustand's storage, over a Web Storage area that may be missing, full, disabled or hold
 * something unreadable. Failures are reported once each, never thrown into the page.
 */
export function settingsStorage(area: () => Storage | undefined, report: Reporter): PersistStorage<PersistedSettings> {
  let reportedWriteFailure = false;
  const storage = (): Storage | undefined => {
    try {
      return area();
    } catch {
      return undefined;
    }
  };
  return {
    getItem(name) {
      let raw: string | null;
      try {
        raw = storage()?.getItem(name) ?? null;
      } catch {
        report('Saved settings could not be read', ['This browser blocks storage for this page. The defaults are used, and changes last until the page is closed.']);
        return null;
      }
      if (raw === null) return null;
      try {
        const parsed: unknown = JSON.parse(raw);
        if (parsed !== null && typeof parsed === 'object' && 'state' in parsed) return parsed as StorageValue<PersistedSettings>;
      } catch {
        // Reported below with the other unreadable shapes.
      }
      const backupKey = `${name}.unreadable`;
      try {
        storage()?.setItem(backupKey, raw);
      } catch {
        // Nowhere to keep a copy; the report still says what happened.
      }
      report('Saved settings were unreadable', [
        `They were reset to the defaults. The unreadable copy is kept in this browser's localStorage under "${backupKey}".`,
      ]);
      return null;
    },
    setItem(name, value) {
      try {
        const area = storage();
        if (!area) throw new Error('no storage');
        area.setItem(name, JSON.stringify({ state: { settings: settingsToJson(value.state.settings), keyBindings: value.state.keyBindings, hostConsent: consentToJson(value.state.hostConsent) }, version: value.version }));
      } catch {
        if (!reportedWriteFailure) {
          reportedWriteFailure = true;
          report('Settings cannot be saved', ['This browser’s storage is full or disabled for this page. Your changes apply, but last only until the page is closed.']);
        }
      }
    },
    removeItem(name) {
      try {
        storage()?.removeItem(name);
      } catch {
        // Removing from blocked storage has nothing to undo.
      }
    },
  };
}
