import { useTranscripts } from './pageContext';
import { FileDownloads } from './FileDownloads';

/** The speech-to-text model's download, and what was heard: live partials, then each turn's transcript. */
export function TranscriptList() {
  const status = useTranscripts((state) => state.status);
  const message = useTranscripts((state) => state.message);
  const runtime = useTranscripts((state) => state.runtime);
  const files = useTranscripts((state) => state.files);
  const turns = useTranscripts((state) => state.turns);
  return (
    <div className="transcripts">
      {status === 'loading' && (
        <p className="download-progress" data-stt-status="loading">
          Loading speech to text
          <FileDownloads files={files} />
        </p>
      )}
      {status === 'ready' && runtime && (
        <p className="stt-runtime" data-stt-status="ready">
          Speech to text: {runtime}.
        </p>
      )}
      {message && (
        <p className={status === 'error' ? 'listening-error' : 'listening-warning'} role="alert">
          {message}
        </p>
      )}
      {turns.length > 0 && (
        <ol className="transcript-list" aria-label="What you said">
          {turns.map((turn) => (
            <li key={turn.turn} className="transcript" data-turn={turn.turn} data-revision={turn.revision} data-language={turn.language ?? ''} data-final={turn.final !== null} data-inference-ms={turn.inferenceMs ?? ''}>
              {turn.final !== null ? (
                <span className="transcript-final">{turn.final || '(nothing recognised)'}</span>
              ) : (
                <span className="transcript-partial">{turn.partial ?? '…'}</span>
              )}
              {turn.language && <span className="transcript-language"> [{turn.language}]</span>}
            </li>
          ))}
        </ol>
      )}
    </div>
  );
}
