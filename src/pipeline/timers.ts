/**
 * Timers the user sets by voice ("remind me in ten minutes"): each has a label and the moment it
 * is due; when due it rings (the page shows it, sounds and notifies) and leaves the list. The
 * three tools the model uses for them: set_timer and cancel_timer act (asked first), list_timers
 * only reads. Plain TypeScript: the clock and what ringing does are passed in.
 */
import type { Tool } from '../stages/llm';

export interface Timer {
  readonly id: number;
  readonly label: string;
  /** When it is due, in milliseconds since the epoch (a wall-clock time, so it holds over a reload). */
  readonly dueAt: number;
  /** How long it was set for, in seconds. */
  readonly seconds: number;
}

/** The longest timer: a day. */
export const MAX_TIMER_SECONDS = 24 * 60 * 60;

export interface TimerPorts {
  /** A timer is due (it has left the list); `late` when it fell due while the page was closed. */
  readonly ring: (timer: Timer, late: boolean) => void;
  /** The timers set now, each time they change (to show them and keep them over a reload). */
  readonly changed: (timers: readonly Timer[]) => void;
  readonly now?: () => number;
}

export class Timers {
  private readonly timers = new Map<number, { readonly timer: Timer; readonly handle: ReturnType<typeof setTimeout> }>();
  private nextId = 1;
  private readonly now: () => number;

  constructor(private readonly ports: TimerPorts) {
    this.now = ports.now ?? Date.now;
  }

  /** Timers kept from before a reload: those still to come are set again, those that fell due meanwhile ring now as late. */
  restore(kept: readonly Timer[]): void {
    for (const timer of kept) {
      this.nextId = Math.max(this.nextId, timer.id + 1);
      if (timer.dueAt <= this.now()) this.ports.ring(timer, true);
      else this.schedule(timer);
    }
    this.ports.changed(this.list());
  }

  set(seconds: number, label: string): Timer {
    const timer: Timer = { id: this.nextId++, label: label.trim() || 'Timer', dueAt: this.now() + seconds * 1000, seconds };
    this.schedule(timer);
    this.ports.changed(this.list());
    return timer;
  }

  /** Cancels a timer; false when there is none with that id (it rang, or never was). */
  cancel(id: number): boolean {
    const entry = this.timers.get(id);
    if (!entry) return false;
    clearTimeout(entry.handle);
    this.timers.delete(id);
    this.ports.changed(this.list());
    return true;
  }

  /** The timers set, soonest first. */
  list(): Timer[] {
    return [...this.timers.values()].map((entry) => entry.timer).sort((a, b) => a.dueAt - b.dueAt);
  }

  /** The model's tools for timers. */
  tools(): Tool[] {
    const host = 'this page';
    return [
      {
        spec: {
          name: 'set_timer',
          description: 'Sets a timer that rings (a sound and a notification) after the given time, e.g. "remind me in ten minutes".',
          parameters: {
            type: 'object',
            properties: {
              duration_seconds: { type: 'integer', description: 'How long until it rings, in seconds.', minimum: 1, maximum: MAX_TIMER_SECONDS },
              label: { type: 'string', description: 'What it is for, in a few words ("tea", "call Anna").' },
            },
            required: ['duration_seconds'],
            additionalProperties: false,
          },
        },
        readOnly: false,
        host,
        run: (args) => {
          const seconds = Number(args.duration_seconds);
          if (!Number.isFinite(seconds) || seconds < 1 || seconds > MAX_TIMER_SECONDS) {
            return Promise.resolve(`Error: duration_seconds must be a number of seconds from 1 to ${MAX_TIMER_SECONDS}; the timer was not set.`);
          }
          const timer = this.set(Math.round(seconds), typeof args.label === 'string' ? args.label : '');
          return Promise.resolve(JSON.stringify({ set: true, id: timer.id, label: timer.label, duration_seconds: timer.seconds, rings_at: new Date(timer.dueAt).toISOString() }));
        },
      },
      {
        spec: {
          name: 'list_timers',
          description: 'The timers set now, with how long until each rings.',
          parameters: { type: 'object', properties: {}, additionalProperties: false },
        },
        readOnly: true,
        host,
        run: () =>
          Promise.resolve(
            JSON.stringify({
              timers: this.list().map((timer) => ({ id: timer.id, label: timer.label, seconds_left: Math.max(0, Math.round((timer.dueAt - this.now()) / 1000)) })),
            }),
          ),
      },
      {
        spec: {
          name: 'cancel_timer',
          description: 'Cancels a timer, by the id list_timers or set_timer gave.',
          parameters: { type: 'object', properties: { id: { type: 'integer', description: 'The timer’s id.' } }, required: ['id'], additionalProperties: false },
        },
        readOnly: false,
        host,
        run: (args) => {
          const id = Number(args.id);
          return Promise.resolve(this.cancel(id) ? JSON.stringify({ cancelled: true, id }) : `Error: there is no timer with id ${String(args.id)}; the timers are: ${JSON.stringify(this.list().map((timer) => ({ id: timer.id, label: timer.label })))}.`);
        },
      },
    ];
  }

  private schedule(timer: Timer): void {
    // setTimeout's delay is at most 2^31-1 ms; a day is far below it.
    const handle = setTimeout(() => {
      this.timers.delete(timer.id);
      this.ports.changed(this.list());
      this.ports.ring(timer, false);
    }, Math.max(0, timer.dueAt - this.now()));
    this.timers.set(timer.id, { timer, handle });
  }
}
