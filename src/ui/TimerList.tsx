import { useEffect, useState } from 'react';
import { useStore } from 'zustand';
import { usePage } from './pageContext';

/** "9:58", "1:02:03": how long until a timer rings. */
function left(ms: number): string {
  const total = Math.max(0, Math.ceil(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = String(total % 60).padStart(2, '0');
  return hours > 0 ? `${hours}:${String(minutes).padStart(2, '0')}:${seconds}` : `${minutes}:${seconds}`;
}

/** The timers set (by voice), each with the time left and Cancel. */
export function TimerList() {
  const { timers } = usePage();
  const list = useStore(timers.store, (state) => state.timers);
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (list.length === 0) return;
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, [list.length]);
  if (list.length === 0) return null;
  return (
    <section className="timer-list" aria-label="Timers">
      <h2 className="visually-hidden">Timers</h2>
      <ul>
        {list.map((timer) => (
          <li key={timer.id} data-timer={timer.id}>
            <span className="timer-label">{timer.label}</span>{' '}
            <time className="timer-left" dateTime={new Date(timer.dueAt).toISOString()} aria-label={`rings at ${new Date(timer.dueAt).toLocaleTimeString()}`}>
              {/* `now` is the last tick's: a timer set since shows its whole time, not a second more. */}
              {left(Math.min(timer.seconds * 1000, timer.dueAt - now))}
            </time>{' '}
            <button type="button" onClick={() => timers.timers.cancel(timer.id)}>
              Cancel<span className="visually-hidden"> the timer {timer.label}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
