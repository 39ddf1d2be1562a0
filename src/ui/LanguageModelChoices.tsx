import { useEffect, useState } from 'react';
import { probeGpu } from '../models/capabilities';
import { DEFAULT_API_MODEL, DEFAULT_TRANSFORMERS_MODEL, DEFAULT_WEB_LLM_MODEL, needsShaderF16, type WebLlmModelRecord } from '../stages/llm';
import { useSettings } from './pageContext';

/** The web-llm models this GPU can run (q4f16 builds only with shader-f16), from web-llm's prebuilt list, fetched only when asked for. */
function WebLlmModels() {
  const [models, setModels] = useState<readonly WebLlmModelRecord[] | null>(null);
  const modelName = useSettings((state) => state.settings.model_name);
  const setSetting = useSettings((state) => state.setSetting);
  useEffect(() => {
    let live = true;
    void Promise.all([import('@mlc-ai/web-llm'), probeGpu()]).then(([webLlm, gpu]) => {
      if (live) setModels(webLlm.prebuiltAppConfig.model_list.filter((model) => gpu.shaderF16 || !needsShaderF16(model)));
    });
    return () => {
      live = false;
    };
  }, []);
  if (!models) return <span role="status">Reading web-llm’s model list…</span>;
  return (
    <label>
      web-llm models for this GPU:{' '}
      <select value={modelName ?? ''} onChange={(event) => setSetting('model_name', event.target.value || null)} aria-label="web-llm model">
        <option value="">Default: {DEFAULT_WEB_LLM_MODEL.replace(/-q\df\d+_\d-MLC$/, '')}</option>
        {models.map((model) => (
          <option key={model.model_id} value={model.model_id}>
            {model.model_id}
            {model.vram_required_MB ? ` (${Math.round(model.vram_required_MB)} MB of GPU memory)` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}

/** What an empty model_name means for the chosen backend, and web-llm's list to choose from. */
export function LanguageModelChoices() {
  const backend = useSettings((state) => state.settings.llm_backend);
  const [listing, setListing] = useState(false);
  if (backend === 'web-llm') {
    return (
      <p className="setting-help">
        {listing ? (
          <WebLlmModels />
        ) : (
          <button type="button" onClick={() => setListing(true)}>
            Choose from web-llm’s models
          </button>
        )}
      </p>
    );
  }
  const fallback = backend === 'transformers' ? `${DEFAULT_TRANSFORMERS_MODEL} (an ONNX text-generation model from the hub)` : DEFAULT_API_MODEL;
  return <p className="setting-help">Empty: {fallback}.</p>;
}
