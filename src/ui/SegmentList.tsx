import { useListening } from './pageContext';

const seconds = (ms: number) => (ms / 1000).toFixed(2);

/** The turns heard so far: each soft end, with where speech was and what Smart Turn said. */
export function SegmentList() {
  const segments = useListening((state) => state.segments);
  if (segments.length === 0) return null;
  return (
    <ol className="segment-list" aria-label="Turns heard">
      {segments.map((segment) => (
        <li
          key={`${segment.turn}.${segment.revision}`}
          className="segment"
          data-turn={segment.turn}
          data-revision={segment.revision}
          data-start-ms={segment.startMs}
          data-end-ms={segment.endMs}
          data-speech-start-ms={segment.speechStartMs}
          data-speech-end-ms={segment.speechEndMs}
          data-released={segment.released}
        >
          Turn {segment.turn}
          {segment.revision > 0 ? ` (continued, revision ${segment.revision})` : ''}: speech {seconds(segment.speechStartMs)}–{seconds(segment.speechEndMs)} s,{' '}
          {segment.durationS.toFixed(1)} s of audio.{' '}
          {segment.smartTurn
            ? `Smart Turn: ${segment.smartTurn.complete ? 'complete' : 'not complete'} (${Math.round(segment.smartTurn.probability * 100)}%).`
            : 'Ended by silence.'}{' '}
          {segment.released
            ? 'Settled.'
            : segments.some((later) => later.turn === segment.turn && later.revision > segment.revision)
              ? 'Continued below.'
              : `Open for ${seconds(segment.graceMs)} s.`}
        </li>
      ))}
    </ol>
  );
}
