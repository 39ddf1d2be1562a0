/**
 * The page's timers (set by voice through the `set_timer` tool): shown in a store, kept in this
 * tab's browser over a reload, and when one is due a notice, a chime and, where the user allowed
 * it, a system notification (the tab may be in the background).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { Timers, type Timer } from '../pipeline/timers';
import type { NoticesStore } from './noticesStore';

export interface TimersState {
  /** The timers set, soonest first. */
  readonly timers: readonly Timer[];
}

export type TimersStore = StoreApi<TimersState>;

export interface TimerAlerts {
  readonly chime: () => void;
  /** A system notification, where the user allowed them (nothing otherwise). */
  readonly notify: (title: string, body: string) => void;
}

const KEPT_KEY = 'speech-to-speech.timers';

export interface PageTimers {
  readonly timers: Timers;
  readonly store: TimersStore;
}

export function createPageTimers(notices: NoticesStore, alerts: TimerAlerts, storage: Storage | null): PageTimers {
  const store = createStore<TimersState>()(() => ({ timers: [] }));
  const timers = new Timers({
    ring: (timer, late) => {
      const title = `Timer: ${timer.label}`;
      const body = late ? `It rang at ${clock(timer.dueAt)}, while the page was closed.` : `Set for ${duration(timer.seconds)}: the time is up.`;
      notices.getState().push('info', title, [body]);
      alerts.chime();
      alerts.notify(title, body);
    },
    changed: (list) => {
      store.setState({ timers: list });
      try {
        storage?.setItem(KEPT_KEY, JSON.stringify(list));
      } catch {
        // Storage refused: the timers still ring while the page stays open.
      }
    },
  });
  timers.restore(readKept(storage));
  return { timers, store };
}

function readKept(storage: Storage | null): Timer[] {
  try {
    const parsed: unknown = JSON.parse(storage?.getItem(KEPT_KEY) ?? '[]');
    if (!Array.isArray(parsed)) return [];
    return parsed.filter(
      (timer): timer is Timer =>
        typeof timer === 'object' && timer !== null && Number.isInteger((timer as Timer).id) && typeof (timer as Timer).label === 'string' && Number.isFinite((timer as Timer).dueAt) && Number.isFinite((timer as Timer).seconds),
    );
  } catch {
    // Unreadable: no timers to bring back.
    return [];
  }
}

function clock(at: number): string {
  return new Date(at).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** "10 minutes", "1 hour 5 minutes", "45 seconds". */
export function duration(seconds: number): string {
  const hours = Math.floor(seconds / 3600);
  const minutes = Math.floor((seconds % 3600) / 60);
  const rest = seconds % 60;
  const parts = [hours ? `${hours} hour${hours === 1 ? '' : 's'}` : '', minutes ? `${minutes} minute${minutes === 1 ? '' : 's'}` : '', rest ? `${rest} second${rest === 1 ? '' : 's'}` : ''];
  return parts.filter((part) => part !== '').join(' ') || '0 seconds';
}
