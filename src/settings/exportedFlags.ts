import { SETTING_KEYS, defaultSettings, entryOf, type SettingKey, type Settings } from './schema';
import { genValueToText, type GenKwargs } from './valueTypes';

export interface ExportedFlag {
  readonly key: SettingKey;
  /** The flag name: the setting's own, or `<prefix><option>` for one `*_gen_*` option. */
  readonly name: string;
  readonly text: string;
}

/**
 * The settings that differ from the defaults, as flags with their values as text, in schema
 * order; `*_gen_*` options one flag each; API keys never.
 */
export function flagsDifferingFromDefaults(settings: Settings): ExportedFlag[] {
  const defaults = defaultSettings();
  const flags: ExportedFlag[] = [];
  for (const key of SETTING_KEYS) {
    const entry = entryOf(key);
    const value = settings[key];
    if (entry.secret || entry.type.equals(value, defaults[key])) continue;
    if (entry.genPrefix !== undefined) {
      for (const [option, optionValue] of Object.entries(value as GenKwargs)) {
        flags.push({ key, name: `${entry.genPrefix}${option}`, text: genValueToText(optionValue) });
      }
    } else {
      flags.push({ key, name: key, text: entry.type.toText(value) });
    }
  }
  return flags;
}
