/**
 * Kokoro's language following the language speech-to-text reports, as the reference does: each
 * reported language maps to a Kokoro lang code, and a change of lang code switches to that
 * language's default voice. The state is sticky (a turn with no language keeps the last voice).
 */
import { plainLanguage } from '../../settings/languages';

/** The reference's map from a Whisper language to a Kokoro lang code (languages without a Kokoro voice speak British English). */
const KOKORO_LANG_CODE: Readonly<Record<string, string>> = {
  en: 'b',
  ja: 'j',
  zh: 'z',
  fr: 'f',
  es: 'e',
  it: 'i',
  pt: 'p',
  hi: 'h',
  de: 'b',
  nl: 'b',
  pl: 'b',
  ru: 'b',
  uk: 'b',
};

/** The reference's default voice per lang code. */
export const KOKORO_DEFAULT_VOICE: Readonly<Record<string, string>> = {
  a: 'af_heart',
  b: 'bm_fable',
  e: 'ef_dora',
  f: 'ff_siwis',
  h: 'hf_alpha',
  i: 'if_sara',
  j: 'jf_alpha',
  p: 'pf_dora',
  z: 'zf_xiaobei',
};

export interface KokoroVoiceChoice {
  readonly langCode: string;
  readonly voice: string;
}

/**
 * The voice after a turn in `language`: unchanged when the language maps to the current lang code
 * (or to none), else the new lang code's default voice. `available` tells whether this Kokoro can
 * speak a voice; a switch to one it cannot is not made, and `unavailable` names what was wanted.
 */
export function followLanguage(
  current: KokoroVoiceChoice,
  language: string | null,
  available: (voice: string) => boolean,
): KokoroVoiceChoice & { readonly unavailable: KokoroVoiceChoice | null } {
  const code = plainLanguage(language);
  const langCode = code === null ? current.langCode : (KOKORO_LANG_CODE[code] ?? current.langCode);
  if (langCode === current.langCode) return { ...current, unavailable: null };
  const voice = KOKORO_DEFAULT_VOICE[langCode] ?? current.voice;
  if (!available(voice)) return { ...current, unavailable: { langCode, voice } };
  return { langCode, voice, unavailable: null };
}
