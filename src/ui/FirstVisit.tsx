import { PRESETS, matchingPreset, withPreset } from '../models/presets';
import { megabytes } from './format';
import { useDevice, useSettings } from './pageContext';

/**
 * Before the first start: what this device can run, the preset the page proposes for it, and
 * what starting would download (minus what is already cached). Pressing start with the size in
 * view is the consent; nothing is downloaded before.
 */
export function FirstVisit({ onModels }: { onModels: () => void }) {
  const report = useDevice((state) => state.report);
  const download = useDevice((state) => state.download);
  const settings = useSettings((state) => state.settings);
  const replaceSettings = useSettings((state) => state.replaceSettings);
  if (!report) return <p role="status">Checking what this device can run…</p>;
  const proposed = PRESETS[report.deviceClass];
  const current = matchingPreset(settings);
  const stages = download?.stages ?? [];
  const known = stages.every((stage) => stage.toDownload !== null);
  const toDownload = stages.reduce((sum, stage) => sum + (stage.toDownload ?? 0), 0);
  const problem = stages.find((stage) => stage.problem)?.problem ?? null;
  return (
    <div className="first-visit">
      <h3>This device</h3>
      <ul className="device-report">
        {report.lines.map((line) => (
          <li key={line}>{line}</li>
        ))}
      </ul>
      <h3>Models</h3>
      <p className="preset-line" data-preset={current?.id ?? 'custom'}>
        {current ? (
          <>
            <strong>{current.label}</strong>
            {current.id === proposed.id ? ' (suggested for this device)' : ''}: {current.description}
          </>
        ) : (
          <>Your own choice of models.</>
        )}
      </p>
      {current?.id !== proposed.id && (
        <p>
          <button type="button" onClick={() => replaceSettings(withPreset(settings, proposed))}>
            Use the {proposed.label} preset
          </button>{' '}
          <span className="muted">{proposed.description}</span>
        </p>
      )}
      <ul className="stage-plan">
        {stages.map((stage) => (
          <li key={stage.stage} data-stage={stage.stage}>
            <span className="stage-name">{stage.stage}:</span> {stage.what}
            {stage.bytes !== null && stage.bytes > 0 && <span className="stage-size"> · {stage.toDownload === 0 ? `${megabytes(stage.bytes)}, downloaded already` : megabytes(stage.toDownload ?? 0)}</span>}
          </li>
        ))}
      </ul>
      <p className="download-total" role="status" data-download-bytes={known && download?.status === 'done' ? toDownload : ''}>
        {download?.status !== 'done'
          ? 'Measuring the download…'
          : problem
            ? `Download size unknown: ${problem}`
            : toDownload === 0
              ? 'Everything is downloaded already: starting needs no download.'
              : `Starting downloads ${megabytes(toDownload)} once; later visits load it from this browser.`}
      </p>
      <p>
        <button type="button" onClick={onModels}>
          Manage models
        </button>
      </p>
    </div>
  );
}
