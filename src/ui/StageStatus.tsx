import type { LoadProgress } from '../models/loadProgress';
import { FileDownloads } from './FileDownloads';
import { megabytes } from './format';
import { useConversation, useListening, useSettings, useTranscripts, useVoice } from './pageContext';
import { loadPercent } from '../pipeline/turnState';

/** A stage's download: all its files together, then each file still coming. */
function Progress({ files, label }: { files: readonly LoadProgress[]; label: string }) {
  const percent = loadPercent(files);
  const loaded = files.reduce((sum, file) => sum + file.loaded, 0);
  return (
    <>
      <span className="stage-progress">
        {' '}
        {megabytes(loaded)}
        {percent !== null && ` (${percent} %)`} <progress max={100} value={percent ?? undefined} aria-label={label} />
      </span>
      <span className="stage-files">
        <FileDownloads files={files} />
      </span>
    </>
  );
}

/** Each stage's model as it loads, and then what runs it; a failure says what to do, with its button. */
export function StageStatus() {
  const listening = useListening((state) => state.status);
  const download = useListening((state) => state.download);
  const stt = useTranscripts((state) => state);
  const model = useConversation((state) => state.model);
  const voice = useVoice((state) => state);
  const tts = useSettings((state) => state.settings.tts);
  const setSetting = useSettings((state) => state.setSetting);
  const browserHasVoice = typeof speechSynthesis !== 'undefined';
  return (
    <ul className="stage-status">
      <li data-stage="listening">
        <span className="stage-name">Listening:</span>{' '}
        {listening === 'starting' ? (
          download ? (
            <>
              downloading the {download.file}
              <Progress files={[download]} label="Voice activity model" />
            </>
          ) : (
            'starting…'
          )
        ) : listening === 'listening' || listening === 'suspended' ? (
          'ready'
        ) : (
          'off'
        )}
      </li>
      {stt.status !== 'off' && (
        <li data-stage="stt" data-stt-status={stt.status} className={stt.status === 'ready' ? 'stt-runtime' : undefined}>
          <span className="stage-name">Speech to text:</span>{' '}
          {stt.status === 'loading' && (
            <>
              loading; what you say meanwhile is kept and answered once it is ready.
              <Progress files={Object.values(stt.files)} label="Speech-to-text model" />
            </>
          )}
          {stt.status === 'ready' && (stt.runtime ?? 'not checked yet (see below)')}
          {stt.status === 'failed' && 'could not start'}
        </li>
      )}
      {stt.detail && (
        <li className={stt.status === 'failed' ? 'stage-error' : 'stage-warning'} role="alert">
          {stt.detail}
        </li>
      )}
      {model.status !== 'off' && (
        <li data-stage="llm" data-llm-status={model.status} className={model.status === 'failed' ? 'stage-error' : 'llm-status'} role={model.status === 'failed' ? 'alert' : undefined}>
          <span className="stage-name">Language model:</span>{' '}
          {model.status === 'loading' && (
            <>
              loading {model.label}
              <Progress files={Object.values(model.files)} label="Language model" />
              {model.progress && (
                <span className="stage-progress">
                  {' '}
                  {model.progress.text} <progress value={model.progress.fraction} max={1} aria-label="Language model" />
                </span>
              )}
            </>
          )}
          {model.status === 'ready' && `${model.label}${model.detail ? `, ${model.detail}` : ''}`}
          {model.status === 'failed' && model.detail}
        </li>
      )}
      {voice.status !== 'off' && (
        <li data-stage="tts" data-tts-status={voice.status} className={voice.status === 'failed' ? 'stage-error' : undefined} role={voice.status === 'failed' ? 'alert' : undefined}>
          <span className="stage-name">Voice:</span>{' '}
          {voice.status === 'loading' && (
            <>
              loading
              <Progress files={Object.values(voice.files)} label="Voice model" />
            </>
          )}
          {voice.status === 'ready' && voice.detail}
          {voice.status === 'failed' && (
            <>
              {voice.detail} Replies are shown as text meanwhile.
              {tts !== 'web-speech' && browserHasVoice && (
                <>
                  {' '}
                  <button type="button" onClick={() => setSetting('tts', 'web-speech')}>
                    Use the browser’s voice
                  </button>
                </>
              )}
            </>
          )}
        </li>
      )}
    </ul>
  );
}
