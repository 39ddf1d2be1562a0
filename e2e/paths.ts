import { join, resolve } from 'node:path';

/** The shared test models and clips, beside this repository (or where $S2S_SHARED_MODELS says). */
export const SHARED_MODELS = resolve(process.env.S2S_SHARED_MODELS ?? join(import.meta.dirname, '../../shared/models'));
