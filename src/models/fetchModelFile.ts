/**
 * Downloads one model file with byte progress, and keeps it in Cache Storage so the next visit
 * loads it without the network. Failures say what happened and what to do.
 */
import type { LoadProgress } from './loadProgress';
import { MODEL_CACHE, isQuotaError } from './modelCache';


async function openCache(): Promise<Cache | null> {
  try {
    return typeof caches === 'undefined' ? null : await caches.open(MODEL_CACHE);
  } catch {
    // Cache Storage is unavailable (private windows, insecure pages): download every time.
    return null;
  }
}

/** No model file is larger (an ArrayBuffer holds no more in most browsers); a host that sends more is not sending a model. */
export const MAX_MODEL_FILE_BYTES = 4 * 1024 ** 3;

export async function fetchModelFile(url: string, what: string, onProgress?: (progress: LoadProgress) => void): Promise<Uint8Array> {
  const cache = await openCache();
  const cached = await cache?.match(url);
  if (cached) {
    const bytes = new Uint8Array(await cached.arrayBuffer());
    onProgress?.({ file: what, loaded: bytes.length, total: bytes.length, done: true });
    return bytes;
  }
  let response: Response;
  try {
    response = await fetch(url);
  } catch (error) {
    throw new Error(`The ${what} could not be downloaded from ${url}: the network request failed. Check your connection, then try again.`, { cause: error });
  }
  if (!response.ok) {
    const hint = response.status === 404 ? 'the file is not there: check the model setting and models_base_url' : response.status === 401 || response.status === 403 ? 'the server refused access' : 'the server failed';
    throw new Error(`The ${what} could not be downloaded from ${url} (HTTP ${response.status}: ${hint}).`);
  }
  const total = Number(response.headers.get('content-length')) || null;
  const chunks: Uint8Array[] = [];
  let loaded = 0;
  const reader = response.body?.getReader();
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      loaded += value.length;
      // A stream that goes on past its own length (or any model's) would never end.
      if (loaded > (total ?? MAX_MODEL_FILE_BYTES)) {
        void reader.cancel();
        throw new Error(`The ${what} could not be downloaded from ${url}: the server sent more than ${total === null ? 'any model file holds' : `the ${total} bytes it announced`}.`);
      }
      onProgress?.({ file: what, loaded, total, done: false });
    }
  } else {
    chunks.push(new Uint8Array(await response.arrayBuffer()));
    loaded = chunks[0]?.length ?? 0;
  }
  const bytes = new Uint8Array(loaded);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  onProgress?.({ file: what, loaded, total: total ?? loaded, done: true });
  try {
    await cache?.put(url, new Response(bytes, { headers: { 'content-type': 'application/octet-stream' } }));
  } catch (error) {
    // A full cache only costs a download next time; the page says so.
    if (isQuotaError(error)) onProgress?.({ file: what, loaded, total: loaded, done: true, storageFull: true });
  }
  return bytes;
}

/** Whether the page's cache holds the file (a load that fails on it then fetches it once more). */
export async function isModelFileCached(url: string): Promise<boolean> {
  return (await (await openCache())?.match(url)) !== undefined;
}

/** Drops a cached file that turned out not to load, so the next try downloads it again. */
export async function forgetModelFile(url: string): Promise<void> {
  await (await openCache())?.delete(url);
}
