import { usePage, useListening } from './pageContext';
import { LevelMeter } from './LevelMeter';
import { SegmentList } from './SegmentList';
import { TranscriptList } from './TranscriptList';

const STATUS_TEXT = {
  idle: 'Not listening',
  starting: 'Starting…',
  listening: 'Listening',
  suspended: 'Paused by the browser',
  error: 'Not listening',
} as const;

function megabytes(bytes: number): string {
  return (bytes / 1_000_000).toFixed(1);
}

/** Start and stop listening, the microphone, what is heard, and every problem with a way out. */
export function ListeningPanel() {
  const status = useListening((state) => state.status);
  const message = useListening((state) => state.message);
  const notice = useListening((state) => state.notice);
  const download = useListening((state) => state.download);
  const { session } = usePage();
  const speaking = useListening((state) => state.userSpeaking);
  const waitingForRestart = useListening((state) => state.waitingForRestart);
  const microphones = useListening((state) => state.microphones);
  const microphoneId = useListening((state) => state.microphoneId);
  const active = status === 'listening' || status === 'suspended' || status === 'starting';

  return (
    <section className="listening-panel" aria-label="Listening">
      <div className="listening-controls">
        {active ? (
          <button type="button" onClick={() => session.stop()}>
            Stop listening
          </button>
        ) : (
          <button type="button" className="primary" onClick={() => void session.start()}>
            {status === 'error' ? 'Try again' : 'Start listening'}
          </button>
        )}
        {status === 'suspended' && (
          <button type="button" onClick={() => void session.resume()}>
            Resume
          </button>
        )}
        <span className="listening-status" data-status={status} data-speaking={speaking} role="status">
          {speaking ? 'Hearing you' : STATUS_TEXT[status]}
        </span>
        <label className="microphone-choice">
          <span>Microphone</span>
          <select value={microphoneId ?? ''} onChange={(event) => void session.selectMicrophone(event.target.value || null)}>
            <option value="">Default microphone</option>
            {microphones.map((microphone) => (
              <option key={microphone.deviceId} value={microphone.deviceId}>
                {microphone.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      {status !== 'idle' && <LevelMeter />}
      {download && status === 'starting' && (
        <p className="download-progress">
          Downloading the {download.file}: {megabytes(download.loaded)}
          {download.total ? ` of ${megabytes(download.total)}` : ''} MB
          {download.total ? <progress value={download.loaded} max={download.total} /> : null}
        </p>
      )}
      {message && (
        <p className={status === 'error' ? 'listening-error' : 'listening-warning'} role="alert">
          {message}
        </p>
      )}
      {notice && <p className="listening-warning">{notice}</p>}
      {waitingForRestart.length > 0 && (
        <p className="listening-warning" role="status" data-waiting-for-restart={waitingForRestart.join(' ')}>
          {waitingForRestart.join(', ')} {waitingForRestart.length === 1 ? 'applies' : 'apply'} when listening starts again.{' '}
          <button
            type="button"
            onClick={() => {
              session.stop();
              void session.start();
            }}
          >
            Restart listening now
          </button>
        </p>
      )}
      <TranscriptList />
      <details className="turn-details">
        <summary>Turn details</summary>
        <SegmentList />
      </details>
    </section>
  );
}
