/**
 * A deployment's own defaults: `S2S_SITE_SETTINGS=site-settings.json npm run build` builds the
 * site with the settings of that file (the page's JSON import format) as its defaults, checked
 * here as any import is, so a bad file fails the build with the reason. The hosts they name are
 * the site's own: the page uses them without asking (see src/settings/hostConsent.ts). An API key
 * is refused: anything in a static site is public to every visitor.
 */
import { readFileSync } from 'node:fs';
import { importJsonConfig } from './src/settings/jsonConfig';
import { SETTING_KEYS, defaultSettings, entryOf } from './src/settings/schema';

/** The settings the file changes from the built-in defaults, as JSON; null without a file. */
export function siteDefaults(path: string | undefined, log: (message: string) => void = console.warn): Record<string, unknown> | null {
  if (!path) return null;
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new Error(`S2S_SITE_SETTINGS names ${path}, which could not be read (${error instanceof Error ? error.message : String(error)}).`, { cause: error });
  }
  const result = importJsonConfig(text, defaultSettings());
  if (!result.ok) throw new Error(`The site's settings in ${path} were refused:\n${result.errors.join('\n')}`);
  const named = JSON.parse(text) as Record<string, unknown>;
  const keys = Object.keys(named).filter((name) => SETTING_KEYS.some((key) => key === name && entryOf(key).secret === true));
  if (keys.length > 0) throw new Error(`The site's settings in ${path} name ${keys.join(', ')}: a key in a static site is public to every visitor. Leave keys to each user.`);
  for (const warning of result.warnings) log(`${path}: ${warning}`);
  const defaults = defaultSettings();
  return Object.fromEntries(SETTING_KEYS.filter((key) => !entryOf(key).type.equals(result.settings[key], defaults[key])).map((key) => [key, entryOf(key).type.toJson(result.settings[key])]));
}
