import { describe, expect, it } from 'vitest';
import { importCommandLine } from './commandLine';
import { MemoryStorage } from './memoryStorage.testSupport';
import { describeHeldKey, heldKeys } from './keyBinding';
import { defaultSettings } from './schema';
import { createSettingsStore } from './store';
import { importUrlParams } from './urlParams';

function storeWithKey(area: Storage = new MemoryStorage()) {
  const store = createSettingsStore({ storage: () => area, report: () => undefined, page: 'https://app.example/' });
  store.getState().setSetting('llm_backend', 'chat-completions');
  store.getState().setSetting('responses_api_base_url', 'https://llm.example.com/v1');
  store.getState().setSetting('responses_api_api_key', 'sk-secret');
  return store;
}

const held = (store: ReturnType<typeof storeWithKey>) => heldKeys(store.getState().settings, store.getState().keyBindings);

describe('a key belongs to the endpoint it was entered for', () => {
  it('a key typed in the panel is bound to its endpoint, and is not held there', () => {
    const store = storeWithKey();
    expect(store.getState().keyBindings).toEqual({ responses_api_api_key: 'https://llm.example.com/v1' });
    expect(held(store)).toEqual([]);
  });

  it('a link that points the endpoint at another host holds the key until the user confirms', () => {
    const store = storeWithKey();
    const { result } = importUrlParams('?responses_api_base_url=https://elsewhere.example/v1', store.getState().settings);
    if (!result.ok) throw new Error('the link should apply');
    store.getState().replaceSettings(result.settings);
    expect(held(store)).toEqual([{ key: 'responses_api_api_key', enteredFor: 'https://llm.example.com/v1', endpoint: 'https://elsewhere.example/v1' }]);
    expect(describeHeldKey(held(store)[0] ?? fail())).toBe(
      'responses_api_api_key was entered for llm.example.com, but the settings now send it to elsewhere.example. Nothing was sent there: confirm that host at the top of the page, or put responses_api_base_url back.',
    );
    store.getState().confirmKeyHost('responses_api_api_key');
    expect(held(store)).toEqual([]);
    expect(store.getState().keyBindings.responses_api_api_key).toBe('https://elsewhere.example/v1');
  });

  it('the Realtime server’s key is held when a pasted talk line points talk_url at another server', () => {
    const store = createSettingsStore({ storage: () => new MemoryStorage(), report: () => undefined, page: 'https://app.example/' });
    store.getState().setSetting('talk_url', 'wss://gpu-box.example/v1/realtime');
    store.getState().setSetting('talk_api_key', 'sk-talk');
    const result = importCommandLine('speech-to-speech talk --url wss://elsewhere.example/v1/realtime', store.getState().settings);
    if (!result.ok) throw new Error('the line should apply');
    store.getState().replaceSettings(result.settings);
    expect(result.settings.talk_api_key).toBe('sk-talk');
    expect(held(store)).toEqual([{ key: 'talk_api_key', enteredFor: 'wss://gpu-box.example/v1/realtime', endpoint: 'wss://elsewhere.example/v1/realtime' }]);
  });

  it('putting the endpoint back releases the key; OpenAI’s address becomes the empty default again', () => {
    const store = storeWithKey();
    store.getState().replaceSettings({ ...store.getState().settings, responses_api_base_url: 'https://elsewhere.example/v1' });
    store.getState().restoreKeyHost('responses_api_api_key');
    expect(store.getState().settings.responses_api_base_url).toBe('https://llm.example.com/v1');
    expect(held(store)).toEqual([]);

    const openai = createSettingsStore({ storage: () => new MemoryStorage(), report: () => undefined, page: 'https://app.example/' });
    openai.getState().setSetting('responses_api_api_key', 'sk-openai');
    openai.getState().replaceSettings({ ...openai.getState().settings, responses_api_base_url: 'https://elsewhere.example/v1' });
    expect(held(openai)).toHaveLength(1);
    openai.getState().restoreKeyHost('responses_api_api_key');
    expect(openai.getState().settings.responses_api_base_url).toBeNull();
    expect(held(openai)).toEqual([]);
  });

  it('a pasted command line or file that moves the endpoint holds the key; one that brings its own key binds that key', () => {
    const store = storeWithKey();
    const moved = importCommandLine('speech-to-speech --llm_backend chat-completions --responses_api_base_url http://other.example:8000/v1', store.getState().settings);
    if (!moved.ok) throw new Error(moved.errors.join('; '));
    store.getState().replaceSettings(moved.settings);
    expect(held(store).map((entry) => entry.key)).toEqual(['responses_api_api_key']);

    const withKey = importCommandLine('speech-to-speech --llm_backend chat-completions --responses_api_base_url http://other.example:8000/v1 --responses_api_api_key sk-other', store.getState().settings);
    if (!withKey.ok) throw new Error(withKey.errors.join('; '));
    store.getState().replaceSettings(withKey.settings);
    expect(held(store)).toEqual([]);
    expect(store.getState().keyBindings.responses_api_api_key).toBe('http://other.example:8000/v1');
  });

  it('editing the endpoint in the panel moves the key with it; an import to another path on the same host does not hold it', () => {
    const store = storeWithKey();
    store.getState().setSetting('responses_api_base_url', 'http://localhost:8000/v1');
    expect(held(store)).toEqual([]);
    store.getState().replaceSettings({ ...store.getState().settings, responses_api_base_url: 'http://localhost:8000/openai/v1' });
    expect(held(store)).toEqual([]);
  });

  it('each key has its own endpoint: moving speech to text does not hold the language model’s key', () => {
    const store = storeWithKey();
    store.getState().setSetting('openai_stt_api_key', 'sk-stt');
    store.getState().replaceSettings({ ...store.getState().settings, openai_stt_base_url: 'https://stt.example/v1' });
    expect(held(store).map((entry) => entry.key)).toEqual(['openai_stt_api_key']);
  });

  it('bindings are saved with the settings, and a key saved before bindings existed belongs to where it is sent', () => {
    const area = new MemoryStorage();
    const store = storeWithKey(area);
    store.getState().replaceSettings({ ...store.getState().settings, responses_api_base_url: 'https://elsewhere.example/v1' });
    const reopened = createSettingsStore({ storage: () => area, report: () => undefined, page: 'https://app.example/' });
    expect(held(reopened).map((entry) => entry.key)).toEqual(['responses_api_api_key']);

    const old = new MemoryStorage();
    old.setItem('speech-to-speech.settings', JSON.stringify({ state: { settings: { ...defaultSettings(), responses_api_api_key: 'sk-old', responses_api_base_url: 'https://llm.example.com/v1' } }, version: 1 }));
    const upgraded = createSettingsStore({ storage: () => old, report: () => undefined, page: 'https://app.example/' });
    expect(upgraded.getState().keyBindings).toEqual({ responses_api_api_key: 'https://llm.example.com/v1' });
    expect(held(upgraded)).toEqual([]);
  });
});

function fail(): never {
  throw new Error('expected a held key');
}
