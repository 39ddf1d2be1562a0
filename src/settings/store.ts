/**
 * The settings store (Zustand), saved in localStorage with a schema version. Its state is the
 * schema's settings; the only ways to change them are the actions below, which take values the
 * schema has already checked.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { persist } from 'zustand/middleware';
import { afterImport, afterPanelEdit, bindKeys, endpointSetting, isSecretKey, OPENAI_BASE_URL, type KeyBindings, type SecretKey } from './keyBinding';
import {
  NO_CONSENT,
  confirmOrigin,
  consentAfterImport,
  consentAfterPanelEdit,
  destinationOrigins,
  forgetOrigin,
  keepPrevious,
  savedConsent,
  type HostConsent,
} from './hostConsent';
import { SECRET_KEYS, defaultSettings, entryOf, type SettingKey, type Settings } from './schema';
import {
  MIGRATIONS,
  SETTINGS_VERSION,
  STORAGE_KEY,
  migrateSettings,
  sanitizeSettings,
  settingsStorage,
  type Migrations,
  type PersistedSettings,
  type Reporter,
} from './persistence';

export interface SettingsState {
  readonly settings: Settings;
  /** Where each stored API key was entered for (see keyBinding). */
  readonly keyBindings: KeyBindings;
  /** The hosts the user allowed, and what imports replaced (see hostConsent). */
  readonly hostConsent: HostConsent;
  /** A change made in the panel. */
  readonly setSetting: <K extends SettingKey>(key: K, value: Settings[K]) => void;
  readonly resetSetting: (key: SettingKey) => void;
  /** Settings from a link, a command line, a file (or an undo): stored keys stay bound where they were entered. */
  readonly replaceSettings: (settings: Settings) => void;
  /** The user confirmed sending a held key to where its endpoint now points. */
  readonly confirmKeyHost: (key: SecretKey) => void;
  /** The user put a held key's endpoint back to where the key was entered for. */
  readonly restoreKeyHost: (key: SecretKey) => void;
  /** The user allowed a host a link or an import named ("Use <host>"); keys held for it go there too. */
  readonly allowHost: (origin: string) => void;
  /** The user kept the values an import replaced with ones on this host. */
  readonly keepBeforeHost: (origin: string) => void;
  /** The user took back a host they allowed. */
  readonly forgetHost: (origin: string) => void;
}

export interface SettingsStoreOptions {
  /** The storage area; `undefined` where the browser has none. */
  readonly storage: () => Storage | undefined;
  readonly report: Reporter;
  readonly migrations?: Migrations;
  readonly version?: number;
  /** The page's address: its own origin is always allowed (see hostConsent). */
  readonly page: string;
}

export type SettingsStore = StoreApi<SettingsState> & {
  readonly persist: { rehydrate(): Promise<void> | void };
};

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const version = options.version ?? SETTINGS_VERSION;
  const { page } = options;
  const migrations = options.migrations ?? MIGRATIONS;
  return createStore<SettingsState>()(
    persist(
      (set) => {

        const edit = (key: SettingKey, value: unknown) =>
          set((state) => {
            const settings = { ...state.settings, [key]: value };
            return { settings, keyBindings: afterPanelEdit(state.settings, settings, state.keyBindings, key), hostConsent: consentAfterPanelEdit(settings, state.hostConsent, key, page) };
          });
        return {
          settings: defaultSettings(),
          keyBindings: {},
          hostConsent: NO_CONSENT,
          setSetting: (key, value) => edit(key, value),
          resetSetting: (key) => edit(key, structuredClone(entryOf(key).default)),
          replaceSettings: (settings) =>
            set((state) => ({ settings, keyBindings: afterImport(state.settings, settings, state.keyBindings), hostConsent: consentAfterImport(state.settings, settings, state.hostConsent, page) })),
          confirmKeyHost: (key) => set((state) => ({ keyBindings: bindKeys(state.settings, state.keyBindings, [key]) })),
          restoreKeyHost: (key) =>
            set((state) => {
              const enteredFor = state.keyBindings[key];
              if (enteredFor === undefined) return state;
              const endpoint = endpointSetting(key);
              // OpenAI's own address is what an empty responses_api_base_url means.
              const value = endpoint === 'responses_api_base_url' && enteredFor === OPENAI_BASE_URL ? null : enteredFor;
              return { settings: { ...state.settings, [endpoint]: value } };
            }),
          allowHost: (origin) =>
            set((state) => {
              // One decision per host: a key held for an endpoint there is sent there too (the offer says so).
              const held = SECRET_KEYS.filter(isSecretKey).filter((key) => destinationOrigins(state.settings, endpointSetting(key), page).includes(origin));
              return { hostConsent: confirmOrigin(state.settings, state.hostConsent, origin, page), keyBindings: bindKeys(state.settings, state.keyBindings, held) };
            }),
          keepBeforeHost: (origin) => set((state) => {
            const kept = keepPrevious(state.settings, state.hostConsent, origin, page);
            return { settings: kept.settings, hostConsent: kept.consent };
          }),
          forgetHost: (origin) => set((state) => ({ hostConsent: forgetOrigin(state.hostConsent, origin) })),
        };
      },
      {
        name: STORAGE_KEY,
        version,
        storage: settingsStorage(options.storage, options.report),
        partialize: (state): PersistedSettings => ({ settings: state.settings, keyBindings: state.keyBindings, hostConsent: state.hostConsent }),
        migrate: (persisted, fromVersion) => {
          if (fromVersion > version) {
            options.report('Settings were saved by a newer version of this app', [
              'They were read as far as this version understands them; anything it does not know was left at its default.',
            ]);
          }
          const saved = persisted as { settings?: unknown; keyBindings?: unknown; hostConsent?: unknown } | undefined;
          return { settings: migrateSettings(saved?.settings, fromVersion, migrations, version), keyBindings: saved?.keyBindings, hostConsent: saved?.hostConsent } as unknown as PersistedSettings;
        },
        merge: (persisted, current) => {
          // Zustand merges even when nothing was saved yet: then the defaults stand, silently.
          if (persisted === undefined) return current;
          const saved = persisted as { settings?: unknown; keyBindings?: unknown; hostConsent?: unknown } | undefined;
          const { settings, problems } = sanitizeSettings(saved?.settings);
          if (problems.length > 0) options.report('Some saved settings were invalid', problems);
          return { ...current, settings, keyBindings: savedBindings(settings, saved?.keyBindings), hostConsent: savedConsent(saved?.hostConsent, settings, page) };
        },
      },
    ),
  );
}

/** The saved key bindings that are well formed; a stored key without one belongs to where it is sent now. */
function savedBindings(settings: Settings, saved: unknown): KeyBindings {
  const bindings: KeyBindings = {};
  const record = saved !== null && typeof saved === 'object' ? (saved as Record<string, unknown>) : {};
  for (const key of SECRET_KEYS.filter(isSecretKey)) {
    const value = Object.hasOwn(record, key) ? record[key] : undefined;
    if (typeof value === 'string') bindings[key] = value;
  }
  const unbound = SECRET_KEYS.filter(isSecretKey).filter((key) => bindings[key] === undefined);
  return bindKeys(settings, bindings, unbound);
}
