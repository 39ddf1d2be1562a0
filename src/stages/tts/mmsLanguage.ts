/**
 * Which MMS (VITS) model speaks a language: `Xenova/mms-tts-<iso3>` (the ONNX builds of the
 * reference's `facebook/mms-tts-<iso3>`), from the reference's map of Whisper languages.
 */
import { plainLanguage } from '../../settings/languages';

/**
 * The reference's map, keyed by the codes Whisper reports: where the reference's keys are not
 * Whisper's (`bu`, `zl`, `ma`, `po`, `tg`, `tu`, `ka` for Bulgarian, Malay, Marathi, Polish,
 * Tagalog, Turkish and Kannada), Whisper's are used, so those languages switch too.
 */
const MMS_LANGUAGE: Readonly<Record<string, string>> = {
  en: 'eng',
  fr: 'fra',
  es: 'spa',
  ko: 'kor',
  hi: 'hin',
  ar: 'ara',
  hy: 'hyw',
  az: 'azb',
  bg: 'bul',
  ca: 'cat',
  nl: 'nld',
  fi: 'fin',
  de: 'deu',
  el: 'ell',
  he: 'heb',
  hu: 'hun',
  is: 'isl',
  id: 'ind',
  kn: 'kan',
  kk: 'kaz',
  lv: 'lav',
  ms: 'zlm',
  mr: 'mar',
  fa: 'fas',
  pl: 'pol',
  pt: 'por',
  ro: 'ron',
  ru: 'rus',
  sw: 'swh',
  sv: 'swe',
  tl: 'tgl',
  ta: 'tam',
  th: 'tha',
  tr: 'tur',
  uk: 'ukr',
  ur: 'urd',
  vi: 'vie',
  cy: 'cym',
};

export const MMS_MODEL_PREFIX = 'Xenova/mms-tts-';

/**
 * The MMS language after a turn in `language`: a mapped language switches to its model; one the
 * map lacks falls back to English, as the reference's loader does; no language keeps the current one.
 */
export function mmsLanguageAfter(current: string, language: string | null): { readonly language: string; readonly unsupported: string | null } {
  const code = plainLanguage(language);
  if (code === null || code === current) return { language: current, unsupported: null };
  return code in MMS_LANGUAGE ? { language: code, unsupported: null } : { language: 'en', unsupported: code };
}

/** The model for a language: `facebook_mms_model_name` when set (it does not follow the language), else MMS's own for it. */
export function mmsModelId(language: string, modelName: string | null): string {
  if (modelName) return modelName;
  return `${MMS_MODEL_PREFIX}${MMS_LANGUAGE[language] ?? 'eng'}`;
}
