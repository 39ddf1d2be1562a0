/**
 * Where a model file is downloaded from. Models are named by their hub ids; `models_base_url` is
 * the Hugging Face hub (files under `<org>/<name>/resolve/main/`) or a folder in the hub's layout
 * on any server or on this site (files under `<org>/<name>/`).
 */

import { modelIdProblem, modelPathProblem } from '../settings/modelPaths';

const HUB_HOSTS = ['huggingface.co', 'hf-mirror.com'];

/** The base as an absolute URL ending in "/", resolved against the page for same-site paths. */
export function modelsBase(modelsBaseUrl: string, page: string): URL {
  const base = new URL(modelsBaseUrl, page);
  if (!base.pathname.endsWith('/')) base.pathname += '/';
  return base;
}

export function isHubLayout(base: URL): boolean {
  return HUB_HOSTS.some((host) => base.hostname === host || base.hostname.endsWith(`.${host}`));
}

/** The URL of one file of a model, by hub id (`org/name`) and path in the repository. */
export function modelFileUrl(base: URL, modelId: string, file: string): string {
  // An id a URL parser reads as another host would fetch from there (see modelPaths).
  const problem = modelIdProblem(modelId);
  if (problem !== undefined) throw new Error(`The model id ${JSON.stringify(modelId)} ${problem}.`);
  const repository = modelId;
  return new URL(isHubLayout(base) ? `${repository}/resolve/main/${file}` : `${repository}/${file}`, base).href;
}

/**
 * A model file named by an http(s) URL, or by a path `<org>/<name>/<file>` under the models location.
 */
export function modelPathUrl(base: URL, path: string): string {
  const problem = modelPathProblem(path);
  if (problem !== undefined) throw new Error(`The model file ${JSON.stringify(path)} ${problem}.`);
  if (/^https?:\/\//i.test(path)) return path;
  const parts = path.split('/');
  return modelFileUrl(base, parts.slice(0, 2).join('/'), parts.slice(2).join('/'));
}

/** Smart Turn v3.2, where `smart_turn_model_path` is empty. */
export const DEFAULT_SMART_TURN_MODEL = 'pipecat-ai/smart-turn-v3/smart-turn-v3.2-cpu.onnx';

/** Where the Smart Turn model is downloaded from; null with Smart Turn off. */
export function smartTurnModelUrl(settings: { readonly smart_turn: boolean; readonly smart_turn_model_path: string | null; readonly models_base_url: string }, page: string): string | null {
  if (!settings.smart_turn) return null;
  return modelPathUrl(modelsBase(settings.models_base_url, page), settings.smart_turn_model_path ?? DEFAULT_SMART_TURN_MODEL);
}
