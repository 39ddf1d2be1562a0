/**
 * The settings store (Zustand), saved in localStorage with a schema version. Its state is the
 * schema's settings; the only ways to change them are the actions below, which take values the
 * schema has already checked.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { persist } from 'zustand/middleware';
import { defaultSettings, entryOf, type SettingKey, type Settings } from './schema';
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
  readonly setSetting: <K extends SettingKey>(key: K, value: Settings[K]) => void;
  readonly resetSetting: (key: SettingKey) => void;
  readonly replaceSettings: (settings: Settings) => void;
}

export interface SettingsStoreOptions {
  /** The storage area; `undefined` where the browser has none. */
  readonly storage: () => Storage | undefined;
  readonly report: Reporter;
  readonly migrations?: Migrations;
  readonly version?: number;
}

export type SettingsStore = StoreApi<SettingsState> & {
  readonly persist: { rehydrate(): Promise<void> | void };
};

export function createSettingsStore(options: SettingsStoreOptions): SettingsStore {
  const version = options.version ?? SETTINGS_VERSION;
  const migrations = options.migrations ?? MIGRATIONS;
  return createStore<SettingsState>()(
    persist(
      (set) => ({
        settings: defaultSettings(),
        setSetting: (key, value) => set((state) => ({ settings: { ...state.settings, [key]: value } })),
        resetSetting: (key) => set((state) => ({ settings: { ...state.settings, [key]: structuredClone(entryOf(key).default) } })),
        replaceSettings: (settings) => set({ settings }),
      }),
      {
        name: STORAGE_KEY,
        version,
        storage: settingsStorage(options.storage, options.report),
        partialize: (state): PersistedSettings => ({ settings: state.settings }),
        migrate: (persisted, fromVersion) => {
          if (fromVersion > version) {
            options.report('Settings were saved by a newer version of this app', [
              'They were read as far as this version understands them; anything it does not know was left at its default.',
            ]);
          }
          const saved = (persisted as { settings?: unknown } | undefined)?.settings;
          return { settings: migrateSettings(saved, fromVersion, migrations, version) } as unknown as PersistedSettings;
        },
        merge: (persisted, current) => {
          // Zustand merges even when nothing was saved yet: then the defaults stand, silently.
          if (persisted === undefined) return current;
          const { settings, problems } = sanitizeSettings((persisted as { settings?: unknown } | undefined)?.settings);
          if (problems.length > 0) options.report('Some saved settings were invalid', problems);
          return { ...current, settings };
        },
      },
    ),
  );
}
