/**
 * Settings in the page's address: `?llm_backend=chat-completions&model_name=...` applies on load,
 * so a hosted page can link to a preset. API keys are never read from or written to a link.
 */
import { SettingsImport, arityOf, resolveFlag, type ImportResult } from './importer';
import { flagsDifferingFromDefaults } from './exportedFlags';
import { entryOf, type Settings } from './schema';

export interface UrlImport {
  readonly result: ImportResult;
  /** Parameters that were read as settings, so the page can take them out of its address. */
  readonly consumed: readonly string[];
}

/** Applies the settings named in a query string on top of `current`. */
export function importUrlParams(search: string, current: Settings): UrlImport {
  const job = new SettingsImport(current, (name) => `"${name}" in the link`);
  const consumed: string[] = [];
  for (const [name, value] of new URLSearchParams(search)) {
    const resolution = resolveFlag(name);
    if (resolution.kind === 'unknown') {
      job.warn(`"${name}" in the link was ignored: it is not a setting.`);
      continue;
    }
    consumed.push(name);
    if (resolution.kind === 'setting' && entryOf(resolution.key).secret) {
      // A key in a link ends up in browser history, server logs and shared screenshots.
      job.warn(`"${name}" in the link was ignored: API keys are never read from links. Enter it in the settings panel.`);
      continue;
    }
    const arity = arityOf(resolution);
    if (arity === 'none' && value !== '') {
      job.error(`"${name}" in the link takes no value: write it as ?${name}.`);
      continue;
    }
    // "?smart_turn" alone switches a boolean on, like "--smart_turn" on a command line.
    job.assign(name, resolution, value === '' && arity !== 'value' ? { absent: true } : { text: value });
  }
  return { result: job.finish(), consumed };
}

/** A query string (without "?") of the settings that differ from the defaults, API keys left out. */
export function exportUrlParams(settings: Settings): string {
  return new URLSearchParams(flagsDifferingFromDefaults(settings).map(({ name, text }) => [name, text])).toString();
}
