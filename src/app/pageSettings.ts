/**
 * The page's settings: saved in localStorage (problems reported as notices), kept in step across
 * tabs, taken from the page's link on load, and imported with a way back. What a link changes is
 * listed; a destination it points at a host the user has not allowed waits for their consent (see
 * hostConsent), and a stored API key whose endpoint it moves is held (see keyBinding).
 */
import type { ImportResult } from '../settings/importer';
import { STORAGE_KEY } from '../settings/persistence';
import { entryOf, type SettingKey, type Settings } from '../settings/schema';
import { createSettingsStore, type SettingsStore } from '../settings/store';
import { importUrlParams } from '../settings/urlParams';
import type { NoticesStore } from './noticesStore';

export function createPageSettings(notices: NoticesStore): SettingsStore {
  return createSettingsStore({
    storage: () => window.localStorage,
    page: window.location.href,
    report: (title, details) => void notices.getState().push('warning', title, details),
  });
}

/** Settings changed in another tab reach this one. */
export function followOtherTabs(store: SettingsStore): void {
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY) void store.persist.rehydrate();
  });
}

function shown(key: SettingKey, value: unknown): string {
  return value === null ? '(empty)' : entryOf(key).type.toText(value);
}

/** "llm_backend: transformers → chat-completions", for each setting that changed. */
export function describeChanges(before: Settings, after: Settings, keys: readonly SettingKey[]): string[] {
  return keys.map((key) => `${key}: ${shown(key, before[key])} → ${shown(key, after[key])}`);
}

/**
 * Applies settings named in the page's link (`?stt=openai&...`), then takes them out of the
 * address so a reload does not undo later changes. A link with any bad value applies nothing.
 */
export function applyLinkPreset(store: SettingsStore, notices: NoticesStore): void {
  const url = new URL(window.location.href);
  if (url.search === '') return;
  const before = store.getState().settings;
  const { result, consumed } = importUrlParams(url.search, before);
  const { push } = notices.getState();
  if (!result.ok) {
    push('error', 'The settings in this link were not applied', [...result.errors, ...result.warnings]);
    return;
  }
  for (const name of consumed) url.searchParams.delete(name);
  window.history.replaceState(window.history.state, '', url);
  store.getState().replaceSettings(result.settings);
  // A setting the link names with the value it already has (a second tab of the same link) is not news.
  const changed = result.changed.filter((key) => !Object.is(before[key], result.settings[key]));
  if (changed.length > 0) {
    push('info', `Applied ${changed.length} setting${changed.length === 1 ? '' : 's'} from the link`, [...describeChanges(before, result.settings, changed), ...result.warnings]);
  } else if (result.warnings.length > 0) {
    push('warning', 'Parts of this link were ignored', result.warnings);
  }
}

/** What an import did, and how to put back what it replaced. */
export interface ImportOutcome {
  readonly source: string;
  readonly result: ImportResult;
  readonly undo?: () => void;
}

/** Applies a successful import (a pasted command line, a JSON file), keeping what it replaced so it can be undone. */
export function applyImport(store: SettingsStore, source: string, result: ImportResult, afterUndo: () => void): ImportOutcome {
  if (!result.ok) return { source, result };
  const previous = store.getState().settings;
  store.getState().replaceSettings(result.settings);
  return {
    source,
    result,
    undo: () => {
      store.getState().replaceSettings(previous);
      afterUndo();
    },
  };
}
