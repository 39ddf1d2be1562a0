/** Test models and clips in shared/models, beside this repository (or where $S2S_SHARED_MODELS says). */
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const SHARED_MODELS = resolve(process.env.S2S_SHARED_MODELS ?? join(import.meta.dirname, '../../shared/models'));

export function sharedModelFile(path: string): Buffer {
  return readFileSync(join(SHARED_MODELS, path));
}
