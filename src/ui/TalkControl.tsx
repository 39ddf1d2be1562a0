import { useEffect, type CSSProperties, type KeyboardEvent } from 'react';
import { levelFraction } from './format';
import { MicIcon, StopIcon } from './icons';
import { useListening, usePage, useSettings, useTurn, useVoice } from './pageContext';

/** A key press that should talk: the space bar, not while typing in a field or on another control. */
function isTalkKey(event: { key: string; target: EventTarget | null }): boolean {
  if (event.key !== ' ') return false;
  const target = event.target as HTMLElement | null;
  return !target || target === document.body || target.classList.contains('talk-button');
}

/**
 * The one big control: start and stop listening (or hold to talk), with a ring that moves with
 * whoever is audible (the user's level while listening, the assistant's while it speaks), and the
 * state in words under it. Errors and pauses say what happened here, with their button.
 */
export function TalkControl() {
  const { session } = usePage();
  const listening = useListening((state) => state.status);
  const message = useListening((state) => state.detail);
  const realtime = useSettings((state) => state.settings.pipeline === 'realtime');
  const inputLevel = useListening((state) => state.level);
  const holding = useListening((state) => state.holding);
  const outputLevel = useVoice((state) => state.outputLevel);
  const samplesPlayed = useVoice((state) => state.samplesPlayed);
  const speakersPaused = useVoice((state) => state.suspended);
  const cueSamples = useVoice((state) => state.cueSamplesPlayed);
  const pushToTalk = useSettings((state) => state.settings.push_to_talk);

  const view = useTurn((state) => state);
  const active = listening === 'starting' || listening === 'listening' || listening === 'suspended';
  const level = levelFraction(view.state === 'speaking' ? outputLevel : active ? inputLevel : 0);

  // The space bar talks from anywhere on the page but the fields.
  useEffect(() => {
    const down = (event: globalThis.KeyboardEvent) => {
      if (!isTalkKey(event) || event.target instanceof HTMLButtonElement) return;
      event.preventDefault();
      if (event.repeat) return;
      if (pushToTalk) session.talkPressed();
      else if (active) session.stop();
      else void session.start();
    };
    const up = (event: globalThis.KeyboardEvent) => {
      if (pushToTalk && isTalkKey(event) && !(event.target instanceof HTMLButtonElement)) session.talkReleased();
    };
    window.addEventListener('keydown', down);
    window.addEventListener('keyup', up);
    return () => {
      window.removeEventListener('keydown', down);
      window.removeEventListener('keyup', up);
    };
  }, [pushToTalk, active, session]);

  // On the button itself the space bar works like a click (or holds, with push to talk).
  const holdKeys = {
    onKeyDown: (event: KeyboardEvent) => {
      if ((event.key === ' ' || event.key === 'Enter') && !event.repeat) {
        event.preventDefault();
        session.talkPressed();
      }
    },
    onKeyUp: (event: KeyboardEvent) => {
      if (event.key === ' ' || event.key === 'Enter') session.talkReleased();
    },
  };
  const button = pushToTalk ? (
    <button
      type="button"
      className="talk-button"
      aria-label="Hold to talk"
      aria-pressed={holding}
      onPointerDown={(event) => {
        event.currentTarget.setPointerCapture(event.pointerId);
        session.talkPressed();
      }}
      onPointerUp={() => session.talkReleased()}
      onPointerCancel={() => session.talkReleased()}
      {...holdKeys}
    >
      <span className="talk-ring" aria-hidden="true" />
      <span className="talk-core">
        <MicIcon />
      </span>
    </button>
  ) : (
    <button type="button" className="talk-button" aria-label={active ? 'Stop listening' : 'Start listening'} onClick={() => (active ? session.stop() : void session.start())}>
      <span className="talk-ring" aria-hidden="true" />
      <span className="talk-core">{active ? <StopIcon /> : <MicIcon />}</span>
    </button>
  );

  return (
    <section className="talk" data-state={view.state} data-samples-played={samplesPlayed} data-cue-samples={cueSamples} style={{ '--level': level.toFixed(3), '--loaded': `${view.percent ?? 0}%` } as CSSProperties} aria-label="Talk">
      {button}
      <p className="talk-state" role="status" data-state={view.state} data-percent={view.percent ?? ''}>
        {view.label}
        {pushToTalk && active && view.state === 'listening' && <span className="talk-hint"> Hold the button or the space bar to speak.</span>}
      </p>
      <div className="talk-actions">
        {(view.state === 'hearing' || view.state === 'interrupted' || holding) && (
          <button type="button" onClick={() => session.sendNow()}>
            Send now
          </button>
        )}
        {pushToTalk && active && (
          <button type="button" onClick={() => session.stop()}>
            Stop listening
          </button>
        )}
        {listening === 'suspended' && (
          <button type="button" onClick={() => void session.resume()}>
            Resume
          </button>
        )}
      </div>
      {speakersPaused && (
        <p className="talk-message warning" role="alert">
          The browser paused the assistant’s voice, so replies are silent.{' '}
          <button type="button" onClick={() => session.resumeSpeakers()}>
            Resume the voice
          </button>
        </p>
      )}
      {message && (
        <p className={listening === 'failed' ? 'talk-message error' : 'talk-message warning'} role="alert">
          {message}{' '}
          {listening === 'failed' && (
            <button type="button" onClick={() => void session.start()}>
              {realtime ? 'Reconnect' : 'Try again'}
            </button>
          )}
        </p>
      )}
    </section>
  );
}
