import { describe, expect, it } from 'vitest';
import { followLanguage } from './kokoroLanguage';

const british = { langCode: 'b', voice: 'bm_fable' };
const everyVoice = () => true;

describe('followLanguage', () => {
  it('keeps the voice while the language maps to the current lang code', () => {
    expect(followLanguage(british, 'en', everyVoice)).toEqual({ ...british, unavailable: null });
    // German has no Kokoro voice: the reference speaks it in British English.
    expect(followLanguage(british, 'de-auto', everyVoice)).toEqual({ ...british, unavailable: null });
    expect(followLanguage({ langCode: 'b', voice: 'bf_emma' }, 'en', everyVoice)).toEqual({ langCode: 'b', voice: 'bf_emma', unavailable: null });
  });

  it("switches to the new language's default voice, and back to English with bm_fable", () => {
    const french = followLanguage(british, 'fr-auto', everyVoice);
    expect(french).toEqual({ langCode: 'f', voice: 'ff_siwis', unavailable: null });
    expect(followLanguage(french, 'es', everyVoice)).toMatchObject({ langCode: 'e', voice: 'ef_dora' });
    expect(followLanguage(french, 'en', everyVoice)).toMatchObject({ langCode: 'b', voice: 'bm_fable' });
    // As the reference: US English configured, an English turn maps to British English.
    expect(followLanguage({ langCode: 'a', voice: 'af_heart' }, 'en', everyVoice)).toMatchObject({ langCode: 'b', voice: 'bm_fable' });
  });

  it('keeps the voice for a turn without a language or with a language Kokoro does not map', () => {
    expect(followLanguage({ langCode: 'f', voice: 'ff_siwis' }, null, everyVoice)).toMatchObject({ langCode: 'f', voice: 'ff_siwis' });
    expect(followLanguage(british, 'sw', everyVoice)).toMatchObject(british);
  });

  it('does not switch to a voice this Kokoro cannot speak, and says which was wanted', () => {
    const englishOnly = (voice: string) => /^[ab][fm]_/.test(voice);
    expect(followLanguage(british, 'ja', englishOnly)).toEqual({ ...british, unavailable: { langCode: 'j', voice: 'jf_alpha' } });
  });
});
