import { useId, useState } from 'react';
import { DevicePicker } from './DevicePicker';
import { FirstVisit } from './FirstVisit';
import { megabytes } from './format';
import { SegmentList } from './SegmentList';
import { StageStatus } from './StageStatus';
import { TranscriptList } from './TranscriptList';
import { hostOf } from '../settings/keyBinding';
import { RealtimeStatus } from './RealtimeStatus';
import { useConversation, useDevice, useListening, usePage, useSettings, useTranscripts, useVoice } from './pageContext';

/** Listening's notices: a setting waiting for the next start, Smart Turn gone, a microphone switched. */
function ListeningNotices() {
  const { session } = usePage();
  const notice = useListening((state) => state.notice);
  const waitingForRestart = useListening((state) => state.waitingForRestart);
  const voiceNotice = useVoice((state) => state.notice);
  return (
    <>
      {notice && (
        <p className="listening-warning" role="status">
          {notice}
        </p>
      )}
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
      {voiceNotice && (
        <p className="listening-warning voice-notice" role="status">
          {voiceNotice}
        </p>
      )}
    </>
  );
}

/** Whether the page is laid out for a phone (one column): the card then starts folded to its line. */
function narrow(): boolean {
  return typeof matchMedia === 'function' && matchMedia('(max-width: 44rem)').matches;
}

/** The card's one line: what would be downloaded, how far loading is, or that all is ready. */
function Summary({ started, loading, failed, warning }: { started: boolean; loading: boolean; failed: boolean; warning: boolean }) {
  const report = useDevice((state) => state.report);
  const download = useDevice((state) => state.download);
  const realtime = useSettings((state) => (state.settings.pipeline === 'realtime' ? hostOf(state.settings.talk_url) : null));
  const listening = useListening((state) => state.status);
  if (realtime !== null) {
    if (listening === 'listening') return <>Connected to the Realtime server at {realtime}.</>;
    if (listening === 'starting') return <>Connecting to the Realtime server at {realtime}…</>;
    return <>{`Realtime server at ${realtime} · nothing to download`}</>;
  }
  if (!started) {
    const stages = download?.stages ?? [];
    const toDownload = stages.reduce((sum, stage) => sum + (stage.toDownload ?? 0), 0);
    const size = download?.status !== 'done' ? 'measuring the download…' : stages.some((stage) => stage.problem) ? 'download size unknown' : toDownload === 0 ? 'everything downloaded' : `${megabytes(toDownload)} to download`;
    return <>{`${report?.summary ?? 'This device'} · ${size}`}</>;
  }
  if (failed) return <>Something could not start: see below.</>;
  if (loading) return <>Loading the models…</>;
  if (warning) return <>Ready, with a problem to know of: see below.</>;
  return <>Ready: everything runs in this page.</>;
}

/**
 * Beside the talk control (above it on a phone): before the first start, the device, the preset
 * and the download; then each model's load; once all is ready it folds to a line. Turn details
 * are there for the curious.
 */
export function StatusCard({ onModels }: { onModels: () => void }) {
  const listening = useListening((state) => state.status);
  const sttStatus = useTranscripts((state) => state.status);
  // A turn that could not be transcribed, a server that refused: said in the card, which must then be open.
  const sttMessage = useTranscripts((state) => state.detail);
  const model = useConversation((state) => state.model.status);
  const voice = useVoice((state) => state.status);
  const realtime = useSettings((state) => state.settings.pipeline === 'realtime');
  const [expanded, setExpanded] = useState<boolean | null>(null);
  const bodyId = useId();
  const started = listening !== 'idle' || sttStatus !== 'off' || model !== 'off' || voice !== 'off';
  const loading = listening === 'starting' || sttStatus === 'loading' || model === 'loading' || voice === 'loading';
  const failed = listening === 'failed' || sttStatus === 'failed' || model === 'failed' || voice === 'failed';
  // Folded once all is ready, and on a phone, unless something needs the user; opened by hand as the user likes.
  const warning = sttMessage !== null;
  const open = expanded ?? (failed || warning || (!narrow() && (!started || loading)));
  return (
    <aside className="status-card" aria-label="Status" data-open={open}>
      <div className="status-line">
        <h2 className="status-summary">
          <Summary started={started} loading={loading} failed={failed} warning={warning} />
        </h2>
        <button type="button" className="status-toggle" aria-expanded={open} aria-controls={bodyId} onClick={() => setExpanded(!open)}>
          {open ? 'Hide details' : 'Details'}
        </button>
      </div>
      <div id={bodyId} className="status-body" hidden={!open}>
        {realtime ? <RealtimeStatus /> : started ? <StageStatus /> : <FirstVisit onModels={onModels} />}
        <DevicePicker />
        <details className="turn-details">
          <summary>Turn details</summary>
          <TranscriptList />
          <SegmentList />
        </details>
      </div>
      <ListeningNotices />
    </aside>
  );
}
