import { useId, useState } from 'react';
import { applyImport, type ImportOutcome } from '../app/pageSettings';
import { importCommandLine } from '../settings/commandLine';
import { ImportReport } from './ImportReport';
import { usePage } from './pageContext';

/** Paste a reference command line and the settings take it. */
export function CommandLineImport() {
  const [line, setLine] = useState('');
  const [outcome, setOutcome] = useState<ImportOutcome | null>(null);
  const id = useId();
  const { settings } = usePage();
  const apply = () => {
    const result = importCommandLine(line, settings.getState().settings);
    setOutcome(applyImport(settings, 'The command line', result, () => setOutcome(null)));
  };
  return (
    <div className="command-line-import">
      <label htmlFor={id}>Paste a speech-to-speech command line</label>
      <p className="setting-help" id={`${id}-hint`}>
        serve or local: this page runs the pipeline with those flags. talk --url ws://…: this page talks to that Realtime server.
      </p>
      <textarea
        id={id}
        value={line}
        rows={3}
        spellCheck={false}
        aria-describedby={`${id}-hint`}
        placeholder="speech-to-speech serve --llm_backend chat-completions --responses_api_base_url http://localhost:8000/v1 --stream_batch_sentences 1"
        onChange={(event) => setLine(event.target.value)}
      />
      <button type="button" onClick={apply} disabled={line.trim() === ''}>
        Apply command line
      </button>
      {outcome && <ImportReport outcome={outcome} />}
    </div>
  );
}
