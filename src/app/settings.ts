/**
 * The page's settings store: saved in localStorage, reporting problems as notices, kept in step
 * across tabs, and taking a preset from the page's link on load.
 */
import { useStore } from 'zustand';
import type { ImportResult } from '../settings/importer';
import { STORAGE_KEY } from '../settings/persistence';
import { createSettingsStore, type SettingsState } from '../settings/store';
import { importUrlParams } from '../settings/urlParams';
import { noticesStore } from './notices';

export const settingsStore = createSettingsStore({
  storage: () => window.localStorage,
  report: (title, details) => noticesStore.getState().push('warning', title, details),
});

export function useSettings<T>(selector: (state: SettingsState) => T): T {
  return useStore(settingsStore, selector);
}

/** Settings changed in another tab reach this one. */
export function followOtherTabs(): void {
  window.addEventListener('storage', (event) => {
    if (event.key === STORAGE_KEY) void settingsStore.persist.rehydrate();
  });
}

/**
 * Applies settings named in the page's link (`?stt=openai&...`), then takes them out of the
 * address so a reload does not undo later changes. A link with any bad value applies nothing.
 */
export function applyLinkPreset(): void {
  const url = new URL(window.location.href);
  if (url.search === '') return;
  const { result, consumed } = importUrlParams(url.search, settingsStore.getState().settings);
  const { push } = noticesStore.getState();
  if (!result.ok) {
    push('error', 'The settings in this link were not applied', [...result.errors, ...result.warnings]);
    return;
  }
  settingsStore.getState().replaceSettings(result.settings);
  if (result.changed.length > 0) {
    push('info', `Applied ${result.changed.length} setting${result.changed.length === 1 ? '' : 's'} from the link`, result.warnings);
  } else if (result.warnings.length > 0) {
    push('warning', 'Parts of this link were ignored', result.warnings);
  }
  for (const name of consumed) url.searchParams.delete(name);
  window.history.replaceState(window.history.state, '', url);
}

/** What an import did, and how to put back what it replaced. */
export interface ImportOutcome {
  readonly source: string;
  readonly result: ImportResult;
  readonly undo?: () => void;
}

/** Applies a successful import (a pasted command line, a JSON file), keeping what it replaced so it can be undone. */
export function applyImport(source: string, result: ImportResult, afterUndo: () => void): ImportOutcome {
  if (!result.ok) return { source, result };
  const previous = settingsStore.getState().settings;
  settingsStore.getState().replaceSettings(result.settings);
  return {
    source,
    result,
    undo: () => {
      settingsStore.getState().replaceSettings(previous);
      afterUndo();
    },
  };
}
