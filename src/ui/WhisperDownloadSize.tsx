import { useState } from 'react';
import { measureStage } from '../app/downloadEstimate';
import { planDownloads } from '../app/downloadPlan';
import { probeGpu } from '../models/capabilities';
import { chooseRuntime } from '../models/runtimePolicy';
import { megabytes } from './format';
import { useSettings } from './pageContext';

/** Measures, on request, the download of the chosen Whisper model as this browser would run it. */
export function WhisperDownloadSize() {
  const settings = useSettings((state) => state.settings);
  const consent = useSettings((state) => state.hostConsent);
  const [result, setResult] = useState<{ key: string; text: string } | null>(null);
  const key = `${settings.models_base_url}|${settings.stt_model_name}|${settings.stt_device}|${settings.device ?? ''}|${settings.stt_torch_dtype}`;
  const check = async () => {
    setResult({ key, text: 'Checking…' });
    const gpu = await probeGpu();
    const runtime = chooseRuntime('whisper', settings, gpu);
    const planned = planDownloads({ ...settings, stt: 'whisper' }, gpu, location.href).find((stage) => stage.stage === 'Speech to text');
    const measured = planned ? await measureStage(planned, consent, location.href) : { bytes: null, toDownload: null, problem: null };
    if (measured.problem !== null || measured.bytes === null || measured.toDownload === null) {
      setResult({ key, text: measured.problem ?? 'The size is not known.' });
      return;
    }
    const size = measured.toDownload === measured.bytes ? megabytes(measured.bytes) : `${megabytes(measured.toDownload)} of ${megabytes(measured.bytes)}`;
    setResult({ key, text: `${size} to download (${runtime.reason}); later visits load it from the browser’s cache.` });
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
