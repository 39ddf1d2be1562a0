/**
 * The ONNX builds of a model on the hub, for transformers.js, which loads ONNX weights only: the
 * reference's transformers models are PyTorch repositories (`Qwen/Qwen3-4B-Instruct-2507` has no
 * onnx/ folder), so the panel asks the hub whether the repository loads as it is and, if not,
 * which builds of it do (the hub's model search by base model and library), with their sizes.
 */

/** An ONNX build of a model found on the hub, for transformers.js. */
export interface OnnxBuild {
  readonly id: string;
  /** Bytes the repository holds (all its files; one dtype of it is downloaded). */
  readonly bytes: number | null;
  readonly downloads: number | null;
}

export type HubAnswer =
  /** The repository itself has ONNX weights: transformers.js loads it as it is. */
  | { readonly kind: 'loads' }
  | { readonly kind: 'builds'; readonly builds: readonly OnnxBuild[] }
  | { readonly kind: 'failed'; readonly message: string };

const HUB_TIMEOUT_MS = 10_000;

async function hubJson(url: string, fetcher: typeof fetch): Promise<unknown> {
  const response = await fetcher(url, { signal: AbortSignal.timeout(HUB_TIMEOUT_MS) });
  if (!response.ok) throw new Error(`the hub answered ${response.status}`);
  return response.json();
}

/**
 * Asks the hub whether a model loads in transformers.js (its repository has an onnx/ folder) and
 * if not, which ONNX builds of it there are: the hub's model search by base model and library
 * (`/api/models?filter=base_model:<id>&library=transformers.js`), the most downloaded first.
 */
export async function findOnnxBuilds(modelName: string, hub: string, fetcher: typeof fetch = fetch): Promise<HubAnswer> {
  const base = hub.replace(/\/+$/, '');
  try {
    const info = (await hubJson(`${base}/api/models/${modelName}?expand[]=siblings`, fetcher)) as { siblings?: { rfilename?: string }[] };
    if ((info.siblings ?? []).some((file) => file.rfilename?.startsWith('onnx/') && file.rfilename.endsWith('.onnx'))) return { kind: 'loads' };
  } catch (error) {
    // A repository the hub does not know (a typo, or a private one) still may have ONNX builds named after it.
    if (!(error instanceof Error && error.message.includes('404'))) return { kind: 'failed', message: `The hub could not be asked about ${modelName} (${error instanceof Error ? error.message : String(error)}).` };
  }
  try {
    const query = new URLSearchParams([
      ['filter', `base_model:${modelName}`],
      ['library', 'transformers.js'],
      ['sort', 'downloads'],
      ['limit', '20'],
      ['expand[]', 'usedStorage'],
      ['expand[]', 'downloads'],
    ]);
    const found = (await hubJson(`${base}/api/models?${query.toString()}`, fetcher));
    if (!Array.isArray(found)) return { kind: 'failed', message: 'The hub’s model search answered something other than a list.' };
    const builds = found.flatMap((model: { id?: unknown; usedStorage?: unknown; downloads?: unknown }) =>
      typeof model.id === 'string' ? [{ id: model.id, bytes: typeof model.usedStorage === 'number' ? model.usedStorage : null, downloads: typeof model.downloads === 'number' ? model.downloads : null }] : [],
    );
    return { kind: 'builds', builds };
  } catch (error) {
    return { kind: 'failed', message: `The hub’s model search failed (${error instanceof Error ? error.message : String(error)}).` };
  }
}
