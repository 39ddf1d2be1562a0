import { useEffect, useState } from 'react';
import { probeGpu } from '../models/capabilities';
import { DEFAULT_API_MODEL, DEFAULT_TRANSFORMERS_MODEL, DEFAULT_WEB_LLM_MODEL, needsShaderF16, type WebLlmModelRecord } from '../settings/modelIds';
import { findOnnxBuilds, type HubAnswer } from '../models/onnxBuilds';
import { isHubLayout, modelsBase } from '../models/modelLocation';
import { isWebLlmModel, webLlmBuildOf } from '../settings/modelIds';
import { megabytes } from './format';
import { isAllowedUrl } from '../settings/hostConsent';
import { hostOf } from '../settings/keyBinding';
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

/** A model_name web-llm does not have: web-llm's build of the same model, to take with one click. */
function WebLlmMapping({ modelName }: { modelName: string }) {
  const setSetting = useSettings((state) => state.setSetting);
  if (isWebLlmModel(modelName)) return null;
  const mapping = webLlmBuildOf(modelName);
  return (
    <p className="setting-help model-mapping" role="status">
      web-llm has no model “{modelName}”, so it would fail to load.{' '}
      {mapping ? (
        <>
          Its build of the same model is {mapping.modelId}{' '}
          <button type="button" onClick={() => setSetting('model_name', mapping.modelId)}>
            Use {mapping.modelId}
          </button>
        </>
      ) : (
        'Choose one of its models below.'
      )}
    </p>
  );
}

/** transformers.js loads ONNX weights only: asks the hub whether model_name has them, and which ONNX builds of it there are. */
function OnnxBuildFinder({ modelName }: { modelName: string }) {
  const setSetting = useSettings((state) => state.setSetting);
  const modelsBaseUrl = useSettings((state) => state.settings.models_base_url);
  const consent = useSettings((state) => state.hostConsent);
  const [answer, setAnswer] = useState<{ for: string; answer: HubAnswer | null } | null>(null);
  const find = () => {
    setAnswer({ for: modelName, answer: null });
    const base = modelsBase(modelsBaseUrl, location.href);
    // A hub mirror the models come from answers the search too; any other folder has no search.
    const hub = isHubLayout(base) ? base.origin : 'https://huggingface.co';
    if (!isAllowedUrl(hub, consent, location.href)) {
      const host = hostOf(hub);
      setAnswer({ for: modelName, answer: { kind: 'failed', message: `${host} was not asked: it is not allowed yet (choose “Use ${host}” at the top of the page, or change models_base_url).` } });
      return;
    }
    void findOnnxBuilds(modelName, hub).then((found) => setAnswer({ for: modelName, answer: found }));
  };
  const shown = answer?.for === modelName ? answer.answer : undefined;
  return (
    <div className="onnx-builds">
      <button type="button" onClick={find} disabled={shown === null}>
        Find ONNX builds of {modelName}
      </button>
      {shown === null && <span role="status"> Asking the hub…</span>}
      {shown?.kind === 'loads' && <p role="status">{modelName} has ONNX weights: transformers.js loads it as it is.</p>}
      {shown?.kind === 'failed' && <p role="alert">{shown.message} Check the connection and try again, or enter an ONNX model id.</p>}
      {shown?.kind === 'builds' &&
        (shown.builds.length === 0 ? (
          <p role="status">{modelName} has no ONNX weights, and the hub lists no transformers.js build of it. Enter another model, or choose llm_backend web-llm.</p>
        ) : (
          <>
            <p role="status">{modelName} has no ONNX weights. ONNX builds of it on the hub (a repository holds several precisions; one is downloaded):</p>
            <ul aria-label="ONNX builds">
              {shown.builds.map((build) => (
                <li key={build.id}>
                  {build.id}
                  {build.bytes !== null && ` (${megabytes(build.bytes)} in all)`}{' '}
                  <button type="button" onClick={() => setSetting('model_name', build.id)}>
                    Use it
                  </button>
                </li>
              ))}
            </ul>
          </>
        ))}
    </div>
  );
}

/** What an empty model_name means for the chosen backend, and web-llm's list to choose from. */
export function LanguageModelChoices() {
  const backend = useSettings((state) => state.settings.llm_backend);
  const modelName = useSettings((state) => state.settings.model_name);
  const [listing, setListing] = useState(false);
  if (backend === 'web-llm') {
    return (
      <div className="setting-help">
        {modelName && <WebLlmMapping modelName={modelName} />}
        {listing ? (
          <WebLlmModels />
        ) : (
          <button type="button" onClick={() => setListing(true)}>
            Choose from web-llm’s models
          </button>
        )}
      </div>
    );
  }
  const fallback = backend === 'transformers' ? `${DEFAULT_TRANSFORMERS_MODEL} (an ONNX text-generation model from the hub)` : DEFAULT_API_MODEL;
  return (
    <>
      <p className="setting-help">Empty: {fallback}.</p>
      {backend === 'transformers' && modelName && <OnnxBuildFinder modelName={modelName} />}
    </>
  );
}
