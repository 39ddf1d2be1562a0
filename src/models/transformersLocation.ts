/**
 * Points transformers.js at `models_base_url`: the Hugging Face hub, a folder in the hub's layout
 * on another server, or one on this site. (transformers.js wants a path, not a URL, for files on
 * this site: with a URL its tokenizer loading fails silently.)
 */
import { isHubLayout, modelsBase } from './modelLocation';

export interface TransformersLocation {
  readonly allowRemoteModels: boolean;
  readonly allowLocalModels: boolean;
  readonly remoteHost: string;
  readonly remotePathTemplate: string;
  readonly localModelPath: string;
}

export function transformersLocation(modelsBaseUrl: string, page: string): TransformersLocation {
  const base = modelsBase(modelsBaseUrl, page);
  if (base.origin === new URL(page).origin) {
    return { allowRemoteModels: false, allowLocalModels: true, remoteHost: base.href, remotePathTemplate: '{model}/', localModelPath: base.pathname };
  }
  return {
    allowRemoteModels: true,
    allowLocalModels: false,
    remoteHost: base.href,
    remotePathTemplate: isHubLayout(base) ? '{model}/resolve/{revision}/' : '{model}/',
    localModelPath: '/models/',
  };
}
