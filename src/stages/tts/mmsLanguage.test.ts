import { describe, expect, it } from 'vitest';
import { mmsLanguageAfter, mmsModelId } from './mmsLanguage';

describe('MMS language', () => {
  it("derives the model from tts_language, with Whisper's codes", () => {
    expect(mmsModelId('en', null)).toBe('Xenova/mms-tts-eng');
    expect(mmsModelId('fr', null)).toBe('Xenova/mms-tts-fra');
    expect(mmsModelId('pl', null)).toBe('Xenova/mms-tts-pol');
    expect(mmsModelId('tr', null)).toBe('Xenova/mms-tts-tur');
  });

  it('facebook_mms_model_name wins and does not follow the language', () => {
    expect(mmsModelId('fr', 'me/my-vits')).toBe('me/my-vits');
  });

  it('follows the reported language; an unmapped one falls back to English; none keeps the current one', () => {
    expect(mmsLanguageAfter('en', 'de-auto')).toEqual({ language: 'de', unsupported: null });
    expect(mmsLanguageAfter('de', 'de')).toEqual({ language: 'de', unsupported: null });
    expect(mmsLanguageAfter('de', null)).toEqual({ language: 'de', unsupported: null });
    expect(mmsLanguageAfter('fr', 'ja')).toEqual({ language: 'en', unsupported: 'ja' });
  });
});
