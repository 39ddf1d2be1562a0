/**
 * The languages Whisper knows, by code, with their English names (Whisper's own table, which the
 * reference also uses to word its "Please reply to my message in <language>." prompt).
 */
export const WHISPER_LANGUAGES = {
  en: 'English', zh: 'Chinese', de: 'German', es: 'Spanish', ru: 'Russian', ko: 'Korean', fr: 'French',
  ja: 'Japanese', pt: 'Portuguese', tr: 'Turkish', pl: 'Polish', ca: 'Catalan', nl: 'Dutch', ar: 'Arabic',
  sv: 'Swedish', it: 'Italian', id: 'Indonesian', hi: 'Hindi', fi: 'Finnish', vi: 'Vietnamese', he: 'Hebrew',
  uk: 'Ukrainian', el: 'Greek', ms: 'Malay', cs: 'Czech', ro: 'Romanian', da: 'Danish', hu: 'Hungarian',
  ta: 'Tamil', no: 'Norwegian', th: 'Thai', ur: 'Urdu', hr: 'Croatian', bg: 'Bulgarian', lt: 'Lithuanian',
  la: 'Latin', mi: 'Maori', ml: 'Malayalam', cy: 'Welsh', sk: 'Slovak', te: 'Telugu', fa: 'Persian',
  lv: 'Latvian', bn: 'Bengali', sr: 'Serbian', az: 'Azerbaijani', sl: 'Slovenian', kn: 'Kannada',
  et: 'Estonian', mk: 'Macedonian', br: 'Breton', eu: 'Basque', is: 'Icelandic', hy: 'Armenian',
  ne: 'Nepali', mn: 'Mongolian', bs: 'Bosnian', kk: 'Kazakh', sq: 'Albanian', sw: 'Swahili', gl: 'Galician',
  mr: 'Marathi', pa: 'Punjabi', si: 'Sinhala', km: 'Khmer', sn: 'Shona', yo: 'Yoruba', so: 'Somali',
  af: 'Afrikaans', oc: 'Occitan', ka: 'Georgian', be: 'Belarusian', tg: 'Tajik', sd: 'Sindhi', gu: 'Gujarati',
  am: 'Amharic', yi: 'Yiddish', lo: 'Lao', uz: 'Uzbek', fo: 'Faroese', ht: 'Haitian Creole', ps: 'Pashto',
  tk: 'Turkmen', nn: 'Nynorsk', mt: 'Maltese', sa: 'Sanskrit', lb: 'Luxembourgish', my: 'Myanmar',
  bo: 'Tibetan', tl: 'Tagalog', mg: 'Malagasy', as: 'Assamese', tt: 'Tatar', haw: 'Hawaiian', ln: 'Lingala',
  ha: 'Hausa', ba: 'Bashkir', jw: 'Javanese', su: 'Sundanese', yue: 'Cantonese',
} as const;

export type LanguageCode = keyof typeof WHISPER_LANGUAGES;

export const LANGUAGE_CODES = Object.keys(WHISPER_LANGUAGES) as LanguageCode[];

/** A reported language (`fr`, or `fr-auto` from detection) as its plain code; null when none was reported. */
export function plainLanguage(reported: string | null): string | null {
  return reported ? reported.replace(/-auto$/, '') : null;
}

/** The English name of a reported language; null when Whisper has none. */
export function languageName(reported: string): string | null {
  return (WHISPER_LANGUAGES as Readonly<Record<string, string>>)[plainLanguage(reported) ?? ''] ?? null;
}
