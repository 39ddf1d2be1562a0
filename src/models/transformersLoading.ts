/**
 * What every transformers.js model load shares: where the files come from (applied to
 * transformers.js's global env, once per worker), per-file download progress for the UI, a cache
 * that says when the browser's storage is full (the model then runs from memory), and a record of
 * what each file request answered, so a failed load names the file and what was wrong with it
 * rather than passing on a library's internal message. A load that fails with files from the
 * cache is tried once more with those files fetched again (a cached file may be broken: a web
 * page a server sent with 200, a download cut short) before its failure is reported.
 */
import { env } from '@huggingface/transformers';
import type { LoadProgress } from './loadProgress';
import { TRANSFORMERS_CACHE, reportingCache } from './modelCache';
import type { TransformersLocation } from './transformersLocation';

export interface FileRequest {
  readonly url: string;
  /** 0: the request itself failed. */
  readonly status: number;
  readonly contentType: string;
}

/** What the model file requests of this worker answered, newest last. */
const requests: FileRequest[] = [];
/** The files the cache answered since the load record started. */
const cacheHits: string[] = [];
const plainFetch = env.fetch;

interface ProgressInfo {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

/**
 * Points transformers.js at the models location. `onStorageFull` hears of each file the
 * browser's storage had no room for (in a browser; Node has no Cache Storage).
 */
export function configureLocation(location: TransformersLocation, onStorageFull?: (url: string) => void): void {
  env.allowRemoteModels = location.allowRemoteModels;
  env.allowLocalModels = location.allowLocalModels;
  env.remoteHost = location.remoteHost;
  env.remotePathTemplate = location.remotePathTemplate;
  env.localModelPath = location.localModelPath;
  env.fetch = async (input, init) => {
    const url = String(input);
    try {
      const response = (await plainFetch(input, init)) as Response;
      requests.push({ url, status: response.status, contentType: response.headers.get('content-type') ?? '' });
      return response;
    } catch (error) {
      requests.push({ url, status: 0, contentType: '' });
      throw error;
    }
  };
  if (onStorageFull && typeof caches !== 'undefined') {
    const cache = reportingCache(onStorageFull);
    env.useCustomCache = true;
    env.customCache = {
      match: async (request: string) => {
        const hit = await cache.match(request);
        if (hit) cacheHits.push(request);
        return hit;
      },
      put: (request: string, response: Response) => cache.put(request, response),
    };
  }
}

/** A file that should be JSON or a model, answered with a web page (a server that answers every path with its index). */
function isPageInsteadOfFile(request: FileRequest): boolean {
  return request.contentType.includes('text/html') && /\.(json|onnx|onnx_data|bin|txt)$/.test(new URL(request.url, 'http://page/').pathname);
}

/** Files transformers.js reads when they are there and goes on without. */
const OPTIONAL_FILES = /(generation_config|preprocessor_config|special_tokens_map|added_tokens)\.json$|_data$/;

/**
 * Why a load failed, for the user: the first file it needs that did not come as it should
 * (missing, refused, unreachable, a web page instead), else the library's own words.
 */
export function loadFailureReason(error: unknown, made: readonly FileRequest[] = requests): string {
  const failed = made.find((request) => !OPTIONAL_FILES.test(request.url) && (request.status === 0 || request.status >= 400 || isPageInsteadOfFile(request)));
  if (failed) {
    if (failed.status === 0) return `${failed.url} could not be reached`;
    if (failed.status === 404) return `${failed.url} is not there (HTTP 404)`;
    if (failed.status === 401 || failed.status === 403) return `${failed.url} was refused (HTTP ${failed.status}): the model may be gated or private`;
    if (failed.status >= 400) return `${failed.url} answered HTTP ${failed.status}`;
    return `${failed.url} is a web page, not a model file`;
  }
  const message = error instanceof Error ? error.message : String(error);
  // An internal error of the library (a file it expected was not what it expected) says nothing to the user on its own.
  return error instanceof TypeError ? `its files are not what transformers.js expects (${message})` : message;
}

/** Starts a load's record afresh: only its own requests explain its failure. */
export function startLoadRecord(): void {
  requests.length = 0;
  cacheHits.length = 0;
}

/**
 * Runs a transformers.js load; when it fails and some of its files came from the cache, those
 * are removed from the cache and the load runs once more (fetching them again) before its
 * failure counts. `forget` removes one cached file (the browser's Cache Storage by default).
 */
export async function loadWithCacheRetry<T>(load: () => Promise<T>, forget: (url: string) => Promise<unknown> = forgetCachedFile): Promise<T> {
  startLoadRecord();
  try {
    return await load();
  } catch (error) {
    const cached = [...new Set(cacheHits)];
    if (cached.length === 0) throw error;
    await Promise.all(cached.map((url) => forget(url).catch(() => undefined)));
    startLoadRecord();
    return load();
  }
}

async function forgetCachedFile(url: string): Promise<boolean> {
  return (await caches.open(TRANSFORMERS_CACHE)).delete(url);
}

/** Notes that the cache answered for `url` (the custom cache does; a test may too). */
export function noteCacheHit(url: string): void {
  cacheHits.push(url);
}

/** A transformers.js `progress_callback` that reports each file's bytes. */
export function fileProgressCallback(onProgress?: (progress: LoadProgress) => void): (info: ProgressInfo) => void {
  return (info) => {
    if (!info.file) return;
    if (info.status === 'progress') onProgress?.({ file: info.file, loaded: info.loaded ?? 0, total: info.total ?? null, done: false });
    else if (info.status === 'done') onProgress?.({ file: info.file, loaded: info.total ?? 0, total: info.total ?? null, done: true });
  };
}
