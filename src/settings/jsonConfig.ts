/**
 * Settings as a JSON file, the form the reference loads when given a single `*.json` argument:
 * one flat object of setting names. Extra keys are allowed (with a warning), as in the reference.
 * Exports hold every setting but the API keys.
 */
import { SettingsImport, defaultsKeepingSecrets, resolveFlag, type ImportResult } from './importer';
import { SETTING_KEYS, entryOf, type Settings } from './schema';
import { showValue, type GenKwargs, type JsonValue } from './valueTypes';

/** Imports a JSON config: the defaults (keeping the API keys of `current`) with the file's values applied. */
export function importJsonConfig(source: string, current: Settings): ImportResult {
  let parsed: unknown;
  try {
    parsed = JSON.parse(source);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, errors: [`The file is not valid JSON (${reason}). Nothing was changed.`], warnings: [] };
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    return { ok: false, errors: [`The file holds ${showValue(parsed)}, not an object of settings such as {"stt": "whisper"}.`], warnings: [] };
  }
  const job = new SettingsImport(defaultsKeepingSecrets(current), (name) => JSON.stringify(name));
  for (const [name, value] of Object.entries(parsed)) {
    const resolution = resolveFlag(name);
    if (resolution.kind === 'unknown') {
      job.warn(`${JSON.stringify(name)} was ignored: it is not a setting of this app or of the reference.`);
      continue;
    }
    if ((resolution.kind === 'setting' || resolution.kind === 'reference') && resolution.negated) {
      job.error(`${JSON.stringify(name)}: a JSON config names the setting itself, such as ${JSON.stringify(name.replace(/^no[_-]/, ''))}: false.`);
      continue;
    }
    // Reference flags that map onto a setting carry text in a reference config (model names).
    job.assign(name, resolution, typeof value === 'string' && resolution.kind === 'reference' ? { text: value } : { json: value });
  }
  return job.finish();
}

/** Every setting but the API keys, as a JSON config; `*_gen_*` options are written flat, as flags. */
export function exportJsonConfig(settings: Settings): string {
  const config: Record<string, JsonValue> = {};
  for (const key of SETTING_KEYS) {
    const entry = entryOf(key);
    if (entry.secret) continue;
    if (entry.genPrefix !== undefined) {
      for (const [option, value] of Object.entries(settings[key] as GenKwargs)) config[`${entry.genPrefix}${option}`] = value;
    } else {
      config[key] = entry.type.toJson(settings[key]);
    }
  }
  return `${JSON.stringify(config, null, 2)}\n`;
}
