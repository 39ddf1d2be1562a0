/**
 * Where a link may point the page's model downloads. On this site, or on a host the settings
 * already use, a model location applies at once; on any other host it waits for the user to
 * confirm that host, so nothing is fetched from a place only a link chose.
 */
import { modelsBase } from './modelLocation';
import type { Settings } from '../settings/schema';

export type ModelLocationKey = 'models_base_url' | 'smart_turn_model_path';
export const MODEL_LOCATION_KEYS: readonly ModelLocationKey[] = ['models_base_url', 'smart_turn_model_path'];

/** A model location a link asks for, on a host to confirm. */
export interface ModelHostChange {
  readonly key: ModelLocationKey;
  readonly value: string | null;
  readonly host: string;
}

/** The origin a model location downloads from; null for a path under the models location. */
function originOf(key: ModelLocationKey, settings: Settings, page: string): string | null {
  if (key === 'models_base_url') return modelsBase(settings.models_base_url, page).origin;
  const path = settings.smart_turn_model_path;
  return path !== null && /^https?:\/\//i.test(path) ? new URL(path).origin : null;
}

export function modelHostsToConfirm(before: Settings, after: Settings, page: string): ModelHostChange[] {
  const known = new Set([new URL(page).origin, ...MODEL_LOCATION_KEYS.map((key) => originOf(key, before, page))]);
  return MODEL_LOCATION_KEYS.flatMap((key) => {
    if (after[key] === before[key]) return [];
    const origin = originOf(key, after, page);
    return origin === null || known.has(origin) ? [] : [{ key, value: after[key], host: new URL(origin).host }];
  });
}
