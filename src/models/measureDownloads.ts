/**
 * How much a set of model files weighs and how much of it is still to download: files already in
 * a model cache count as there; the others are measured with a HEAD request each (the hub answers
 * large files with their size in `x-linked-size`). Nothing is downloaded. Every request has a
 * bound; a server that does not answer makes the total unknown, with a sentence saying why.
 */

export interface FileToMeasure {
  readonly url: string;
  readonly optional: boolean;
  /** Where a cache keeps it, when that differs from its URL (kokoro-js keeps voices under the hub's address). */
  readonly cacheKey?: { readonly cache: string; readonly url: string };
}

export interface Measured {
  /** Bytes of all files, and of those not cached yet; null where a file could not be measured. */
  readonly bytes: number | null;
  readonly toDownload: number | null;
  readonly problem: string | null;
}

export interface MeasureTools {
  readonly cachedSize: (url: string, cacheName?: string) => Promise<number | null>;
  readonly timeoutMs?: number;
}

type FileSize = { readonly bytes: number; readonly cached: boolean } | { readonly problem: string } | null;

async function sizeOf(file: FileToMeasure, tools: MeasureTools): Promise<FileSize> {
  const cached = await tools.cachedSize(file.cacheKey?.url ?? file.url, file.cacheKey?.cache);
  if (cached !== null) return { bytes: cached, cached: true };
  let response: Response;
  try {
    response = await fetch(file.url, { method: 'HEAD', signal: AbortSignal.timeout(tools.timeoutMs ?? 15_000) });
  } catch {
    return { problem: `${new URL(file.url).host} did not answer, so the download size is not known.` };
  }
  if (response.status === 404 && file.optional) return null;
  if (!response.ok) return { problem: `${file.url} answered HTTP ${response.status}: check the model setting and models_base_url.` };
  const size = Number(response.headers.get('x-linked-size') ?? response.headers.get('content-length'));
  if (!Number.isFinite(size) || size <= 0) return { problem: `${new URL(file.url).host} did not say how large ${file.url.split('/').pop() ?? 'a file'} is.` };
  return { bytes: size, cached: false };
}

export async function measureDownloads(files: readonly FileToMeasure[], tools: MeasureTools): Promise<Measured> {
  const sizes = await Promise.all(files.map((file) => sizeOf(file, tools)));
  const problem = sizes.find((size) => size !== null && 'problem' in size);
  if (problem && 'problem' in problem) return { bytes: null, toDownload: null, problem: problem.problem };
  let bytes = 0;
  let toDownload = 0;
  for (const size of sizes) {
    if (size === null || 'problem' in size) continue;
    bytes += size.bytes;
    if (!size.cached) toDownload += size.bytes;
  }
  return { bytes, toDownload, problem: null };
}
