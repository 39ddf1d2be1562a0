import { useState, type ChangeEvent } from 'react';
import { applyImport, type ImportOutcome } from '../app/pageSettings';
import { exportCommandLine } from '../settings/commandLine';
import { exportJsonConfig, importJsonConfig } from '../settings/jsonConfig';
import { exportUrlParams } from '../settings/urlParams';
import { exportYamlConfig, importYamlPipeline, readYamlConfig, type PipelineChoice, type YamlConfig } from '../settings/yamlConfig';
import { YamlPipelineChooser } from './YamlPipelineChooser';
import { ImportReport } from './ImportReport';
import { downloadFile } from './downloadFile';
import { usePage, useSettings } from './pageContext';

/** The settings as a command line, a JSON or YAML file and a link; none of them holds an API key. */
export function SettingsExport() {
  const store = usePage().settings;
  const settings = useSettings((state) => state.settings);
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const [copied, setCopied] = useState<string | null>(null);
  const [choosing, setChoosing] = useState<{ file: string; config: YamlConfig; pipelines: readonly PipelineChoice[] } | null>(null);
  const commandLine = exportCommandLine(settings);
  const query = exportUrlParams(settings);
  const link = `${window.location.origin}${window.location.pathname}${query ? `?${query}` : ''}`;

  const copy = (what: string, text: string) => {
    navigator.clipboard.writeText(text).then(
      () => setCopied(`${what} copied.`),
      () => setCopied(`The browser did not allow copying: select the ${what.toLowerCase()} above and copy it by hand.`),
    );
  };
  const download = () => downloadFile(exportJsonConfig(settings), 'speech-to-speech-settings.json', 'application/json');
  const downloadYaml = () => downloadFile(exportYamlConfig(settings), 'speech-to-speech.yaml', 'application/yaml');
  const importFile = (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    setChoosing(null);
    const source = `The file ${file.name}`;
    const failed = (reason: string) => setOutcome({ source, result: { ok: false, errors: [reason], warnings: [] } });
    file
      .text()
      .then(
        (text) => {
          if (!/\.ya?ml$/i.test(file.name)) {
            setOutcome(applyImport(store, source, importJsonConfig(text, store.getState().settings), () => setOutcome(null)));
            return;
          }
          // A configuration file: one of its pipelines is picked (and its environment values entered) before anything changes.
          const read = readYamlConfig(text);
          if (!read.ok) setOutcome({ source, result: { ok: false, errors: read.errors, warnings: [] } });
          else {
            setOutcome(null);
            setChoosing({ file: file.name, config: read.config, pipelines: read.pipelines });
          }
        },
        () => failed('The browser could not read the file. Choose it again.'),
      )
      // Whatever else goes wrong reading it ends in a message, and changes nothing.
      .catch((error: unknown) => failed(`The file could not be imported (${error instanceof Error ? error.message : String(error)}). Nothing was changed.`));
  };
  const applyPipeline = (name: string, env: Record<string, string>) => {
    if (!choosing) return;
    const result = importYamlPipeline(choosing.config, name, env, store.getState().settings);
    setOutcome(applyImport(store, `Pipeline ${name} of ${choosing.file}`, result, () => setOutcome(null)));
    if (result.ok) setChoosing(null);
  };

  return (
    <div className="settings-export">
      <label htmlFor="export-command-line">As a command line (only what differs from the defaults)</label>
      <textarea id="export-command-line" readOnly value={commandLine} rows={3} spellCheck={false} />
      <label htmlFor="export-link">As a link</label>
      <input id="export-link" readOnly value={link} />
      <div className="export-actions">
        <button type="button" onClick={() => copy('Command line', commandLine)}>
          Copy command line
        </button>
        <button type="button" onClick={() => copy('Link', link)}>
          Copy link
        </button>
        <button type="button" onClick={download}>
          Download JSON
        </button>
        <button type="button" onClick={downloadYaml}>
          Download YAML
        </button>
        <label className="file-button">
          Import JSON or YAML
          <input type="file" accept="application/json,.json,.yaml,.yml" onChange={importFile} />
        </label>
      </div>
      <p className="export-note">API keys are never exported: enter them again on another device.</p>
      {copied && <p role="status">{copied}</p>}
      {choosing && <YamlPipelineChooser file={choosing.file} pipelines={choosing.pipelines} onApply={applyPipeline} onCancel={() => setChoosing(null)} />}
      {outcome && <ImportReport outcome={outcome} />}
    </div>
  );
}
