import { useCallback, useState } from 'react';
import { deleteAllModels, deleteCachedFiles, listCachedModels, type CachedModel } from '../models/modelCache';
import { modelsBase } from '../models/modelLocation';
import { Drawer } from './Drawer';
import { megabytes } from './format';
import { useDevice, usePage, useSettings } from './pageContext';

/**
 * The models this browser keeps: each with its size, one or all deleted, the storage the site
 * uses of what the browser allows, and a request that the browser keep it (persistent storage).
 */
export function ModelManager({ open, onClose }: { open: boolean; onClose: () => void }) {
  const { refreshDownloads } = usePage();
  const base = useSettings((state) => modelsBase(state.settings.models_base_url, location.href).href);
  const storage = useDevice((state) => state.storage);
  const [models, setModels] = useState<readonly CachedModel[] | null>(null);
  const [status, setStatus] = useState<string | null>(null);

  const refresh = useCallback(async () => {
    setModels(await listCachedModels([base]));
    await refreshDownloads();
  }, [base, refreshDownloads]);

  const remove = async (what: string, action: () => Promise<void>) => {
    setStatus(`Deleting ${what}…`);
    await action();
    await refresh();
    setStatus(`Deleted ${what}.`);
  };
  const persist = async () => {
    const granted = (await navigator.storage?.persist?.()) ?? false;
    await refreshDownloads();
    setStatus(granted ? 'The browser will keep the models until you delete them.' : 'The browser did not promise to keep them; it may remove them when space runs low.');
  };
  const total = models?.reduce((sum, model) => sum + model.bytes, 0) ?? 0;
  return (
    <Drawer open={open} onClose={onClose} onOpen={() => void refresh()} title="Models in this browser" className="model-manager">
      {storage && (
        <p className="storage-estimate" data-usage={storage.usage}>
          This site uses {megabytes(storage.usage)} of the {megabytes(storage.quota)} the browser allows it.{' '}
          {storage.persisted ? (
            'The browser keeps it until you delete it.'
          ) : (
            <>
              The browser may remove it when space runs low.{' '}
              <button type="button" onClick={() => void persist()}>
                Ask the browser to keep it
              </button>
            </>
          )}
        </p>
      )}
      {models === null ? (
        <p role="status">Reading the browser’s caches…</p>
      ) : models.length === 0 ? (
        <p className="models-empty">No models are downloaded yet: the first start downloads them.</p>
      ) : (
        <>
          <ul className="cached-models" aria-label="Downloaded models">
            {models.map((model) => (
              <li key={model.id} data-model={model.id}>
                <span className="cached-model-name">{model.id}</span> <span className="cached-model-size">{megabytes(model.bytes)}</span>{' '}
                <button type="button" onClick={() => void remove(model.id, () => deleteCachedFiles(model.files))} aria-label={`Delete ${model.id}`}>
                  Delete
                </button>
              </li>
            ))}
          </ul>
          <p className="models-total" data-bytes={total}>
            {megabytes(total)} in all.{' '}
            <button type="button" onClick={() => void remove('every model', deleteAllModels)}>
              Delete all
            </button>
          </p>
        </>
      )}
      {status && <p role="status">{status}</p>}
    </Drawer>
  );
}
