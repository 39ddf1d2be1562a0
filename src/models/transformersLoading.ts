/**
 * What every transformers.js model load shares: where the files come from (applied to
 * transformers.js's global env, once per worker) and per-file download progress for the UI.
 */
import { env } from '@huggingface/transformers';
import type { LoadProgress } from './loadProgress';
import type { TransformersLocation } from './transformersLocation';

interface ProgressInfo {
  status: string;
  file?: string;
  loaded?: number;
  total?: number;
}

export function configureLocation(location: TransformersLocation): void {
  env.allowRemoteModels = location.allowRemoteModels;
  env.allowLocalModels = location.allowLocalModels;
  env.remoteHost = location.remoteHost;
  env.remotePathTemplate = location.remotePathTemplate;
  env.localModelPath = location.localModelPath;
}

/** A transformers.js `progress_callback` that reports each file's bytes. */
export function fileProgressCallback(onProgress?: (progress: LoadProgress) => void): (info: ProgressInfo) => void {
  return (info) => {
    if (!info.file) return;
    if (info.status === 'progress') onProgress?.({ file: info.file, loaded: info.loaded ?? 0, total: info.total ?? null, done: false });
    else if (info.status === 'done') onProgress?.({ file: info.file, loaded: info.total ?? 0, total: info.total ?? null, done: true });
  };
}
