/**
 * The browser caches that hold model files: the page's own (the VAD's files), transformers.js's
 * (Whisper, the language model, Kokoro, MMS, and onnxruntime's WebAssembly), kokoro-js's voices,
 * and web-llm's. The model manager lists them by model with sizes and deletes them; a first visit
 * asks them what is already there; and a cache that is full is reported, not fatal: the model
 * then runs from memory for this visit.
 */
import { isHubLayout } from './modelLocation';

/** The page's own cache: the VAD's model files. */
export const MODEL_CACHE = 'speech-to-speech-models';
/** Where kokoro-js keeps its voices, under the hub's address whatever the models location. */
export const KOKORO_VOICE_CACHE = 'kokoro-voices';
export const KOKORO_VOICE_URL = 'https://huggingface.co/onnx-community/Kokoro-82M-v1.0-ONNX/resolve/main/voices/';
export const TRANSFORMERS_CACHE = 'transformers-cache';

export const MODEL_CACHES: readonly string[] = [TRANSFORMERS_CACHE, MODEL_CACHE, KOKORO_VOICE_CACHE, 'webllm/model', 'webllm/config', 'webllm/wasm'];

export interface CachedFile {
  readonly url: string;
  readonly cache: string;
  readonly bytes: number;
}

export interface CachedModel {
  /** The hub id (`org/name`), or what else the files are ("Runtime files on localhost:5173"). */
  readonly id: string;
  readonly files: readonly CachedFile[];
  readonly bytes: number;
}

/** Whether an error is the browser saying its storage is full. */
export function isQuotaError(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'QuotaExceededError';
}

async function responseBytes(response: Response): Promise<number> {
  const length = Number(response.headers.get('content-length'));
  return Number.isFinite(length) && length > 0 ? length : (await response.blob()).size;
}

/** The model a cached file belongs to: `org/name` on the hub or under a models location, else the host's runtime files. */
export function modelIdOf(url: string, modelsBases: readonly string[]): string {
  const parsed = new URL(url);
  if (isHubLayout(parsed)) {
    const [org, name, resolve] = parsed.pathname.split('/').filter(Boolean);
    if (org && name && resolve === 'resolve') return `${org}/${name}`;
  }
  for (const base of modelsBases) {
    if (!url.startsWith(base)) continue;
    const [org, name] = url.slice(base.length).split('/');
    if (org && name) return `${org}/${name}`;
  }
  return `Runtime files on ${parsed.host}`;
}

function openCaches(): Promise<{ name: string; cache: Cache }[]> {
  if (typeof caches === 'undefined') return Promise.resolve([]);
  return Promise.all(MODEL_CACHES.map(async (name) => ({ name, cache: await caches.open(name) })));
}

/** Every cached model file, grouped by model, largest first. */
export async function listCachedModels(modelsBases: readonly string[]): Promise<CachedModel[]> {
  const models = new Map<string, CachedFile[]>();
  for (const { name, cache } of await openCaches()) {
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      if (!response) continue;
      const id = modelIdOf(request.url, modelsBases);
      models.set(id, [...(models.get(id) ?? []), { url: request.url, cache: name, bytes: await responseBytes(response) }]);
    }
  }
  return [...models.entries()].map(([id, files]) => ({ id, files, bytes: files.reduce((sum, file) => sum + file.bytes, 0) })).sort((a, b) => b.bytes - a.bytes);
}

export async function deleteCachedFiles(files: readonly CachedFile[]): Promise<void> {
  if (typeof caches === 'undefined') return;
  await Promise.all(files.map(async (file) => (await caches.open(file.cache)).delete(file.url)));
}

export async function deleteAllModels(): Promise<void> {
  if (typeof caches === 'undefined') return;
  await Promise.all(MODEL_CACHES.map((name) => caches.delete(name)));
}

/** The cached size of a file, if a model cache holds it. */
export async function cachedSize(url: string, cacheName?: string): Promise<number | null> {
  for (const { name, cache } of await openCaches()) {
    if (cacheName !== undefined && name !== cacheName) continue;
    const response = await cache.match(url);
    if (response) return responseBytes(response);
  }
  return null;
}

/** The cache transformers.js uses (`env.customCache`): Cache Storage, except that a full one is reported and the file kept in memory. */
export function reportingCache(onFull: (url: string) => void): { match(request: string): Promise<Response | undefined>; put(request: string, response: Response): Promise<void> } {
  let opened: Promise<Cache> | null = null;
  const open = () => (opened ??= caches.open(TRANSFORMERS_CACHE));
  return {
    match: async (request) => (await open()).match(request),
    put: async (request, response) => {
      try {
        await (await open()).put(request, response);
      } catch (error) {
        if (!isQuotaError(error)) throw error;
        onFull(request);
      }
    },
  };
}
