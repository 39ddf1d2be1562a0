import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createNoticesStore } from './noticesStore';
import { createPageTimers, duration } from './pageTimers';

class MemoryStorage {
  readonly items = new Map<string, string>();
  getItem(key: string) {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string) {
    this.items.set(key, value);
  }
}

beforeEach(() => vi.useFakeTimers({ now: new Date('2026-12-07T20:00:00Z') }));
afterEach(() => vi.useRealTimers());

describe('the page’s timers', () => {
  it('a timer due rings: a notice, the chime and a notification; the list and what is kept follow', () => {
    const notices = createNoticesStore();
    const alerts = { chime: vi.fn(), notify: vi.fn() };
    const storage = new MemoryStorage();
    const { timers, store } = createPageTimers(notices, alerts, storage as unknown as Storage);
    timers.set(90, 'tea');
    expect(store.getState().timers.map((timer) => timer.label)).toEqual(['tea']);
    expect(JSON.parse(storage.getItem('speech-to-speech.timers') ?? '')).toHaveLength(1);
    vi.advanceTimersByTime(90_000);
    expect(notices.getState().notices.map((notice) => [notice.title, notice.details])).toEqual([['Timer: tea', ['Set for 1 minute 30 seconds: the time is up.']]]);
    expect(alerts.chime).toHaveBeenCalledTimes(1);
    expect(alerts.notify).toHaveBeenCalledWith('Timer: tea', 'Set for 1 minute 30 seconds: the time is up.');
    expect(store.getState().timers).toEqual([]);
    expect(storage.getItem('speech-to-speech.timers')).toBe('[]');
  });

  it('after a reload: kept timers come back, one due meanwhile rings as late, and what cannot be read is left out', () => {
    const storage = new MemoryStorage();
    const now = Date.now();
    storage.setItem('speech-to-speech.timers', JSON.stringify([{ id: 1, label: 'missed', dueAt: now - 60_000, seconds: 60 }, { id: 2, label: 'coming', dueAt: now + 60_000, seconds: 120 }, { id: 'x' }, 'junk']));
    const notices = createNoticesStore();
    const { store } = createPageTimers(notices, { chime: vi.fn(), notify: vi.fn() }, storage as unknown as Storage);
    expect(store.getState().timers.map((timer) => timer.label)).toEqual(['coming']);
    expect(notices.getState().notices[0]?.title).toBe('Timer: missed');
    expect(notices.getState().notices[0]?.details[0]).toMatch(/^It rang at .+, while the page was closed\.$/);
    storage.setItem('speech-to-speech.timers', '{not json');
    expect(createPageTimers(createNoticesStore(), { chime: vi.fn(), notify: vi.fn() }, storage as unknown as Storage).store.getState().timers).toEqual([]);
  });

  it('says a duration in words', () => {
    expect([45, 60, 600, 3600, 3905].map(duration)).toEqual(['45 seconds', '1 minute', '10 minutes', '1 hour', '1 hour 5 minutes 5 seconds']);
  });
});
