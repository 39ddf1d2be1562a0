import { describe, expect, it } from 'vitest';
import { MemoryStorage } from './memoryStorage.testSupport';
import { STORAGE_KEY } from './persistence';
import { NO_CONSENT, allowedOrigins, consentAfterImport, destinationOrigin, isAllowedUrl, savedConsent, siteOrigins, waitingDestinations } from './hostConsent';
import { defaultSettings, type Settings } from './schema';
import { createSettingsStore } from './store';

const PAGE = 'https://app.example/s2s/';

function store(area = new MemoryStorage()) {
  return createSettingsStore({ storage: () => area, report: () => undefined, page: PAGE });
}

/** What a link, a pasted line or an imported file does: its settings replace the store's. */
function imported(settings: ReturnType<typeof store>, change: Partial<Settings>): void {
  settings.getState().replaceSettings({ ...settings.getState().settings, ...change });
}

const waiting = (settings: ReturnType<typeof store>) => waitingDestinations(settings.getState().settings, settings.getState().hostConsent, PAGE).map(({ key, host }) => `${key} ${host}`);

describe('the hosts allowed without asking', () => {
  it('are this site and the hosts its defaults name', () => {
    expect([...siteOrigins(PAGE)].sort()).toEqual(['http://localhost:8000', 'https://api.openai.com', 'https://app.example', 'https://huggingface.co', 'ws://127.0.0.1:8765']);
  });

  it('read each destination as its address: an empty API base is OpenAI, a same-site path is this site, a Smart Turn path is under the models location', () => {
    const settings = { ...defaultSettings(), models_base_url: '/models/', smart_turn_model_path: 'org/model/file.onnx' };
    expect(destinationOrigin(settings, 'responses_api_base_url', PAGE)).toBe('https://api.openai.com');
    expect(destinationOrigin(settings, 'models_base_url', PAGE)).toBe('https://app.example');
    expect(destinationOrigin(settings, 'smart_turn_model_path', PAGE)).toBeNull();
    expect(destinationOrigin({ ...settings, smart_turn_model_path: 'https://cdn.example/st.onnx' }, 'smart_turn_model_path', PAGE)).toBe('https://cdn.example');
    expect(destinationOrigin({ ...settings, talk_url: 'wss://gpu.example:8765/v1/realtime' }, 'talk_url', PAGE)).toBe('wss://gpu.example:8765');
  });
});

describe('a destination a link or an import moves', () => {
  it('to another host waits, for every kind of destination, until the user allows that host', () => {
    const settings = store();
    imported(settings, {
      models_base_url: 'https://models.example/',
      smart_turn_model_path: 'https://cdn.example/st.onnx',
      openai_stt_base_url: 'http://stt.example/v1',
      responses_api_base_url: 'http://llm.example/v1',
      openai_tts_base_url: 'http://stt.example/v1',
      talk_url: 'ws://gpu.example:8765/v1/realtime',
    });
    expect(waiting(settings)).toEqual([
      'talk_url gpu.example:8765',
      'models_base_url models.example',
      'smart_turn_model_path cdn.example',
      'openai_stt_base_url stt.example',
      'responses_api_base_url llm.example',
      'openai_tts_base_url stt.example',
    ]);
    settings.getState().allowHost('http://stt.example');
    expect(waiting(settings)).not.toContain('openai_stt_base_url stt.example');
    expect(waiting(settings)).not.toContain('openai_tts_base_url stt.example');
    expect(waiting(settings)).toHaveLength(4);
  });

  it('to this site, or to a host the site’s defaults name, needs no question', () => {
    const settings = store();
    imported(settings, { models_base_url: '/models/', responses_api_base_url: 'https://api.openai.com/v1', talk_url: 'ws://127.0.0.1:8765/v1/realtime', openai_stt_base_url: 'https://app.example/stt/v1' });
    expect(waiting(settings)).toEqual([]);
  });

  it('a host on another port or scheme is another host', () => {
    const settings = store();
    imported(settings, { openai_stt_base_url: 'http://localhost:8001/v1', models_base_url: 'http://huggingface.co/' });
    expect(waiting(settings)).toEqual(['models_base_url huggingface.co', 'openai_stt_base_url localhost:8001']);
  });

  it('"Keep" puts back what the import replaced, over several imports the first value', () => {
    const settings = store();
    settings.getState().setSetting('models_base_url', '/models/');
    imported(settings, { models_base_url: 'https://one.example/', stream_batch_sentences: 2 });
    imported(settings, { models_base_url: 'https://two.example/' });
    expect(settings.getState().settings.stream_batch_sentences).toBe(2);
    settings.getState().keepBeforeHost('https://two.example');
    expect(settings.getState().settings.models_base_url).toBe('/models/');
    expect(waiting(settings)).toEqual([]);
    // The rest of the import stays.
    expect(settings.getState().settings.stream_batch_sentences).toBe(2);
  });

  it('set by the user in the panel is theirs: no question, for that host anywhere', () => {
    const settings = store();
    settings.getState().setSetting('responses_api_base_url', 'http://my-server:8000/v1');
    expect(waiting(settings)).toEqual([]);
    imported(settings, { openai_tts_base_url: 'http://my-server:8000/v1' });
    expect(waiting(settings)).toEqual([]);
    // Typing one letter after another leaves only the last host typed.
    settings.getState().setSetting('responses_api_base_url', 'http://my-server:8001/v1');
    expect(allowedOrigins(settings.getState().hostConsent, PAGE)).not.toContain('http://my-server:8000');
  });

  it('once a host is allowed, "Keep" after a later import puts back that host, not what was before it', () => {
    const settings = store();
    imported(settings, { responses_api_base_url: 'http://one.example/v1' });
    settings.getState().allowHost('http://one.example');
    imported(settings, { responses_api_base_url: 'http://two.example/v1' });
    settings.getState().keepBeforeHost('http://two.example');
    expect(settings.getState().settings.responses_api_base_url).toBe('http://one.example/v1');
  });

  it('an allowed host taken back in the settings waits again', () => {
    const settings = store();
    imported(settings, { responses_api_base_url: 'http://llm.example/v1' });
    settings.getState().allowHost('http://llm.example');
    expect(waiting(settings)).toEqual([]);
    settings.getState().forgetHost('http://llm.example');
    expect(waiting(settings)).toEqual(['responses_api_base_url llm.example']);
    // Nothing to put back was remembered after it was allowed: "Keep" puts the default back.
    settings.getState().keepBeforeHost('http://llm.example');
    expect(settings.getState().settings.responses_api_base_url).toBeNull();
  });

  it('allowing a host sends a key held for an endpoint there with it; other keys stay held', () => {
    const settings = store();
    settings.getState().setSetting('responses_api_api_key', 'sk-llm');
    settings.getState().setSetting('openai_tts_api_key', 'sk-tts');
    imported(settings, { responses_api_base_url: 'http://llm.example/v1', openai_tts_base_url: 'http://tts.example/v1' });
    settings.getState().allowHost('http://llm.example');
    expect(settings.getState().keyBindings).toEqual({ responses_api_api_key: 'http://llm.example/v1', openai_tts_api_key: 'http://localhost:8000/v1' });
  });
});

describe('consent as saved', () => {
  it('survives a reload', () => {
    const area = new MemoryStorage();
    const settings = store(area);
    imported(settings, { responses_api_base_url: 'http://llm.example/v1', models_base_url: 'https://models.example/' });
    settings.getState().allowHost('http://llm.example');
    const reopened = store(area);
    expect(waiting(reopened)).toEqual(['models_base_url models.example']);
    reopened.getState().keepBeforeHost('https://models.example');
    expect(reopened.getState().settings.models_base_url).toBe('https://huggingface.co/');
  });

  it('settings saved before consent existed were the user’s: their hosts stay allowed', () => {
    const area = new MemoryStorage();
    area.setItem(STORAGE_KEY, JSON.stringify({ state: { settings: { responses_api_base_url: 'http://my-server:8000/v1' } }, version: 1 }));
    expect(waiting(store(area))).toEqual([]);
    expect(store(area).getState().hostConsent.confirmed).toEqual(['http://my-server:8000']);
  });

  it('drops what is malformed', () => {
    const settings = defaultSettings();
    expect(savedConsent({ confirmed: ['http://ok.example', 'not a url', 7, 'http://ok.example/path'], typed: { models_base_url: 'javascript:alert(1)', constructor: 'http://x.example' }, replaced: { models_base_url: 'ftp://x' } }, settings, PAGE)).toEqual({
      confirmed: ['http://ok.example'],
      typed: {},
      replaced: {},
    });
    expect(savedConsent('junk', settings, PAGE)).toEqual(NO_CONSENT);
  });
});

describe('isAllowedUrl', () => {
  it('allows this site and refuses what is not a URL', () => {
    expect(isAllowedUrl('/models/x.onnx', NO_CONSENT, PAGE)).toBe(true);
    expect(isAllowedUrl('https://evil.example/x', NO_CONSENT, PAGE)).toBe(false);
    expect(isAllowedUrl('data:text/plain,x', NO_CONSENT, PAGE)).toBe(false);
  });

  it('consentAfterImport keeps the replaced value only while the host waits', () => {
    const before = defaultSettings();
    const after = { ...before, models_base_url: 'https://models.example/' };
    const consent = consentAfterImport(before, after, NO_CONSENT, PAGE);
    expect(consent.replaced).toEqual({ models_base_url: 'https://huggingface.co/' });
    expect(consentAfterImport(after, { ...after, models_base_url: '/models/' }, consent, PAGE).replaced).toEqual({});
  });
});
