import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { Timers, type Timer } from './timers';

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-07T20:00:00Z') }));
afterEach(() => vi.useRealTimers());

function rig() {
  const rang: { timer: Timer; late: boolean }[] = [];
  const shown: (readonly Timer[])[] = [];
  const timers = new Timers({ ring: (timer, late) => rang.push({ timer, late }), changed: (list) => shown.push(list) });
  const tool = (name: string) => {
    const found = timers.tools().find((candidate) => candidate.spec.name === name);
    if (!found) throw new Error(`no ${name}`);
    return (args: Record<string, unknown>) => found.run(args, new AbortController().signal);
  };
  return { timers, rang, shown, tool };
}

describe('timers', () => {
  it('set_timer sets one that rings when due and then leaves the list', async () => {
    const { rang, shown, tool } = rig();
    const answer = JSON.parse(await tool('set_timer')({ duration_seconds: 600, label: 'tea' })) as Record<string, unknown>;
    expect(answer).toEqual({ set: true, id: 1, label: 'tea', duration_seconds: 600, rings_at: '2026-12-07T20:10:00.000Z' });
    expect(shown.at(-1)).toEqual([{ id: 1, label: 'tea', dueAt: Date.parse('2026-12-07T20:10:00Z'), seconds: 600 }]);
    vi.advanceTimersByTime(599_999);
    expect(rang).toEqual([]);
    vi.advanceTimersByTime(1);
    expect(rang).toEqual([{ timer: expect.objectContaining({ label: 'tea' }) as unknown, late: false }]);
    expect(shown.at(-1)).toEqual([]);
  });

  it('list_timers says how long is left, soonest first; it only reads', async () => {
    const { timers, tool } = rig();
    timers.set(300, 'eggs');
    timers.set(60, '');
    vi.advanceTimersByTime(30_000);
    expect(JSON.parse(await tool('list_timers')({}))).toEqual({ timers: [{ id: 2, label: 'Timer', seconds_left: 30 }, { id: 1, label: 'eggs', seconds_left: 270 }] });
    expect(timers.tools().map((one) => [one.spec.name, one.readOnly])).toEqual([['set_timer', false], ['list_timers', true], ['cancel_timer', false]]);
  });

  it('cancel_timer cancels by id: it never rings; an unknown id is told with the timers there are', async () => {
    const { timers, rang, tool } = rig();
    timers.set(60, 'eggs');
    expect(await tool('cancel_timer')({ id: 7 })).toBe('Error: there is no timer with id 7; the timers are: [{"id":1,"label":"eggs"}].');
    expect(JSON.parse(await tool('cancel_timer')({ id: 1 }))).toEqual({ cancelled: true, id: 1 });
    vi.advanceTimersByTime(120_000);
    expect(rang).toEqual([]);
    expect(timers.list()).toEqual([]);
  });

  it('a duration that is not a number of seconds within a day sets nothing and says why', async () => {
    const { timers, tool } = rig();
    for (const duration_seconds of [0, -5, 'soon', 90_000]) {
      expect(await tool('set_timer')({ duration_seconds })).toBe('Error: duration_seconds must be a number of seconds from 1 to 86400; the timer was not set.');
    }
    expect(timers.list()).toEqual([]);
  });

  it('timers kept over a reload: one still to come rings on time, one due meanwhile rings at once as late, and new ids follow theirs', () => {
    const { timers, rang } = rig();
    const now = Date.now();
    timers.restore([
      { id: 4, label: 'missed', dueAt: now - 5000, seconds: 60 },
      { id: 5, label: 'coming', dueAt: now + 5000, seconds: 60 },
    ]);
    expect(rang).toEqual([{ timer: expect.objectContaining({ label: 'missed' }) as unknown, late: true }]);
    expect(timers.set(10, 'next').id).toBe(6);
    vi.advanceTimersByTime(5000);
    expect(rang.map((one) => [one.timer.label, one.late])).toEqual([['missed', true], ['coming', false]]);
  });
});
