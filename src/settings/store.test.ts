import { describe, expect, it } from 'vitest';
import { STORAGE_KEY, SETTINGS_VERSION } from './persistence';
import { defaultSettings } from './schema';
import { MemoryStorage } from './memoryStorage.testSupport';
import { createSettingsStore, type SettingsStoreOptions } from './store';

function setup(saved?: unknown, options: Partial<SettingsStoreOptions> & { area?: Storage } = {}) {
  const area = options.area ?? new MemoryStorage();
  if (saved !== undefined) area.setItem(STORAGE_KEY, typeof saved === 'string' ? saved : JSON.stringify(saved));
  const reports: { title: string; details: readonly string[] }[] = [];
  const store = createSettingsStore({ storage: () => area, report: (title, details) => reports.push({ title, details }), ...options, page: 'https://app.example/' });
  return { store, area, reports };
}

describe('settings store', () => {
  it('starts from the defaults and saves each change with its version', () => {
    const { store, area } = setup();
    expect(store.getState().settings).toEqual(defaultSettings());
    store.getState().setSetting('thresh', 0.42);
    const saved = JSON.parse(area.getItem(STORAGE_KEY) ?? '') as { state: { settings: Record<string, unknown> }; version: number };
    expect(saved.version).toBe(SETTINGS_VERSION);
    expect(saved.state.settings.thresh).toBe(0.42);
    expect(saved.state.settings.max_speech_ms).toBe('inf');
  });

  it('reads back what it saved, infinity included', () => {
    const { area } = setup();
    const first = createSettingsStore({ storage: () => area, report: () => undefined, page: 'https://app.example/' });
    first.getState().setSetting('max_speech_ms', 20_000);
    first.getState().setSetting('llm_gen_kwargs', { top_p: 0.5 });
    const second = createSettingsStore({ storage: () => area, report: () => undefined, page: 'https://app.example/' });
    expect(second.getState().settings.max_speech_ms).toBe(20_000);
    expect(second.getState().settings.llm_gen_kwargs).toEqual({ top_p: 0.5 });
    second.getState().resetSetting('max_speech_ms');
    expect(createSettingsStore({ storage: () => area, report: () => undefined, page: 'https://app.example/' }).getState().settings.max_speech_ms).toBe(Infinity);
  });

  it('replaces a corrupt saved copy by the defaults, reports it and keeps the corrupt text', () => {
    const { store, area, reports } = setup('{"state": {"settings": {"thresh": 0.3');
    expect(store.getState().settings).toEqual(defaultSettings());
    expect(reports.map((r) => r.title)).toEqual(['Saved settings were unreadable']);
    expect(area.getItem(`${STORAGE_KEY}.unreadable`)).toBe('{"state": {"settings": {"thresh": 0.3');
  });

  it('resets only the invalid values, naming each', () => {
    const { store, reports } = setup({ state: { settings: { thresh: 'banana', chat_size: 12, tts: 'espeak', unknown_setting: 1 } }, version: SETTINGS_VERSION });
    const { settings } = store.getState();
    expect(settings.thresh).toBe(0.6);
    expect(settings.tts).toBe('kokoro');
    expect(settings.chat_size).toBe(12);
    expect(reports).toHaveLength(1);
    expect(reports[0]?.title).toBe('Some saved settings were invalid');
    expect(reports[0]?.details).toHaveLength(2);
    expect(reports[0]?.details.join('\n')).toContain('thresh was reset to "0.6": the saved value "banana" is not a number');
  });

  it('treats a saved copy of the wrong shape as unreadable', () => {
    for (const saved of ['[1,2]', '"text"', 'null', '{"settings": {}}']) {
      const { store, reports } = setup(saved);
      expect(store.getState().settings).toEqual(defaultSettings());
      expect(reports.length).toBeGreaterThan(0);
    }
  });

  it('migrates settings saved by an older version', () => {
    const migrations = { 1: ({ old_threshold, ...rest }: Record<string, unknown>) => ({ ...rest, thresh: old_threshold }) };
    const { store, reports } = setup({ state: { settings: { old_threshold: 0.25, chat_size: 5 } }, version: 1 }, { migrations, version: 2 });
    expect(store.getState().settings.thresh).toBe(0.25);
    expect(store.getState().settings.chat_size).toBe(5);
    expect(reports).toEqual([]);
  });

  it('reads settings of a newer version as far as it can, and says so', () => {
    const { store, reports } = setup({ state: { settings: { thresh: 0.3, future_setting: true } }, version: SETTINGS_VERSION + 1 });
    expect(store.getState().settings.thresh).toBe(0.3);
    expect(reports.map((r) => r.title)).toEqual(['Settings were saved by a newer version of this app']);
  });

  it('keeps working when storage is blocked or full, reporting it once', () => {
    const blocked = setup(undefined, {
      storage: () => {
        throw new DOMException('denied', 'SecurityError');
      },
    });
    blocked.store.getState().setSetting('thresh', 0.1);
    blocked.store.getState().setSetting('thresh', 0.2);
    expect(blocked.store.getState().settings.thresh).toBe(0.2);
    expect(blocked.reports.map((r) => r.title)).toEqual(['Settings cannot be saved']);

    const full = setup(undefined, { area: new MemoryStorage(10) });
    full.store.getState().setSetting('thresh', 0.1);
    expect(full.store.getState().settings.thresh).toBe(0.1);
    expect(full.reports.map((r) => r.title)).toEqual(['Settings cannot be saved']);
  });
});
