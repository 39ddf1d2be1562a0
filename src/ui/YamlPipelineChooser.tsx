import { useId, useState } from 'react';
import type { PipelineChoice } from '../settings/yamlConfig';

/**
 * After a configuration file is read: the user picks one of its pipelines and enters the
 * environment values it names (`{env: NAME}`), which the page cannot read and never guesses.
 */
export function YamlPipelineChooser({ file, pipelines, onApply, onCancel }: { file: string; pipelines: readonly PipelineChoice[]; onApply: (name: string, env: Record<string, string>) => void; onCancel: () => void }) {
  const id = useId();
  const [name, setName] = useState(pipelines[0]?.name ?? '');
  const [env, setEnv] = useState<Record<string, string>>({});
  const chosen = pipelines.find((pipeline) => pipeline.name === name);
  return (
    <form
      className="yaml-chooser"
      aria-label={`Import ${file}`}
      onSubmit={(event) => {
        event.preventDefault();
        // A value left blank is not an answer: the import then asks for it again.
        onApply(name, Object.fromEntries((chosen?.env ?? []).flatMap((variable) => (env[variable] ? [[variable, env[variable]]] : []))));
      }}
    >
      <fieldset>
        <legend>
          {file} has {pipelines.length} pipeline{pipelines.length === 1 ? '' : 's'}: which one should this page run?
        </legend>
        {pipelines.map((pipeline) => (
          <label key={pipeline.name} className="yaml-pipeline">
            <input type="radio" name={`${id}-pipeline`} value={pipeline.name} checked={pipeline.name === name} onChange={() => setName(pipeline.name)} />
            {pipeline.name}
            <span className="setting-help">
              {' '}
              (vad {pipeline.stages.vad}, stt {pipeline.stages.stt}, llm {pipeline.stages.llm}, tts {pipeline.stages.tts})
            </span>
          </label>
        ))}
      </fieldset>
      {chosen && chosen.env.length > 0 && (
        <fieldset>
          <legend>It reads these from the environment, which a page cannot see: enter their values.</legend>
          {chosen.environment.map((variable) => (
            <label key={variable.name} className="yaml-env">
              {variable.name}
              <span className="setting-help">
                {' '}
                sets {variable.settings.join(', ')}
                {variable.sentTo === null ? '; it stays in this page' : `; ${variable.sentTo}`}
              </span>
              <input type="password" autoComplete="off" value={env[variable.name] ?? ''} onChange={(event) => setEnv({ ...env, [variable.name]: event.target.value })} />
            </label>
          ))}
        </fieldset>
      )}
      <div className="export-actions">
        <button type="submit">Apply pipeline {name}</button>
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
