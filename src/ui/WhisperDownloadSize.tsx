import { useState } from 'react';
import { probeGpu } from '../models/capabilities';
import { downloadSize, whisperFiles } from '../models/downloadSize';
import { modelsBase } from '../models/modelLocation';
import { chooseRuntime } from '../models/runtimePolicy';
import { useSettings } from './pageContext';

/** Measures, on request, the download of the chosen Whisper model as this browser would run it. */
export function WhisperDownloadSize() {
  const settings = useSettings((state) => state.settings);
  const [result, setResult] = useState<{ key: string; text: string } | null>(null);
  const key = `${settings.models_base_url}|${settings.stt_model_name}|${settings.stt_device}|${settings.device ?? ''}|${settings.stt_torch_dtype}`;
  const check = async () => {
    setResult({ key, text: 'Checking…' });
    try {
      const runtime = chooseRuntime('whisper', settings, await probeGpu());
      const bytes = await downloadSize(modelsBase(settings.models_base_url, location.href), settings.stt_model_name, whisperFiles(runtime.dtype));
      setResult({ key, text: `${(bytes / 1_000_000).toFixed(1)} MB to download (${runtime.reason}); later visits load it from the browser’s cache.` });
    } catch (error) {
      setResult({ key, text: error instanceof Error ? error.message : String(error) });
    }
  };
  return (
    <p className="setting-help download-size">
      <button type="button" onClick={() => void check()}>
        Check download size
      </button>{' '}
      <span role="status">{result?.key === key ? result.text : ''}</span>
    </p>
  );
}
