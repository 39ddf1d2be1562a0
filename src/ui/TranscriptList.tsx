import { useTranscripts } from './pageContext';

/** What was heard, turn by turn: live partials, then each turn's transcript with its language. */
export function TranscriptList() {
  const turns = useTranscripts((state) => state.turns);
  if (turns.length === 0) return null;
  return (
    <ol className="transcript-list" aria-label="What you said">
      {turns.map((turn) => (
        <li key={turn.turn} className="transcript" data-turn={turn.turn} data-revision={turn.revision} data-language={turn.language ?? ''} data-final={turn.final !== null} data-inference-ms={turn.inferenceMs ?? ''}>
          {turn.final !== null ? <span className="transcript-final">{turn.final || '(nothing recognised)'}</span> : <span className="transcript-partial">{turn.partial ?? '…'}</span>}
          {turn.language && <span className="transcript-language"> [{turn.language}]</span>}
        </li>
      ))}
    </ol>
  );
}
