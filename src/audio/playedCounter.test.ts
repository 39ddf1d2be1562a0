import { describe, expect, it } from 'vitest';
import { PlayedCounter } from './playedCounter';

describe('PlayedCounter', () => {
  it('turns reports of how far each chunk played into samples newly played', () => {
    const counter = new PlayedCounter();
    expect(counter.take({ id: 1, played: 128, ended: false })).toBe(128);
    expect(counter.take({ id: 1, played: 384, ended: false })).toBe(256);
    expect(counter.take({ id: 2, played: 100, ended: false })).toBe(100);
    expect(counter.take({ id: 1, played: 480, ended: true })).toBe(96);
    // An ended chunk is forgotten: its id counts from zero again.
    expect(counter.take({ id: 1, played: 10, ended: false })).toBe(10);
  });
});
