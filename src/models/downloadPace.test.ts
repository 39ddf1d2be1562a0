import { describe, expect, it } from 'vitest';
import { DownloadPace, MIN_HEADWAY_BYTES } from './downloadPace';

describe('DownloadPace', () => {
  it('counts a new file, a finished file and each megabyte as headway, and a trickle as none', () => {
    const pace = new DownloadPace();
    expect(pace.file({ file: 'a', loaded: 0, total: null, done: false })).toBe(true);
    expect(pace.file({ file: 'a', loaded: 1000, total: null, done: false })).toBe(false);
    expect(pace.stalled('speech-to-text', '2 min')).toContain('downloading too slowly');
    expect(pace.file({ file: 'a', loaded: MIN_HEADWAY_BYTES, total: null, done: false })).toBe(true);
    expect(pace.stalled('speech-to-text', '2 min')).toContain('nothing arrived for 2 min');
    // Two files together make headway.
    expect(pace.file({ file: 'b', loaded: MIN_HEADWAY_BYTES / 2, total: null, done: false })).toBe(true);
    expect(pace.file({ file: 'a', loaded: MIN_HEADWAY_BYTES * 1.5, total: null, done: false })).toBe(false);
    expect(pace.file({ file: 'b', loaded: MIN_HEADWAY_BYTES, total: null, done: false })).toBe(true);
    expect(pace.file({ file: 'b', loaded: MIN_HEADWAY_BYTES + 1, total: MIN_HEADWAY_BYTES + 1, done: true })).toBe(true);
  });

  it('counts a step as headway once the whole has grown by a thousandth', () => {
    const pace = new DownloadPace();
    expect(pace.step(0)).toBe(true);
    expect(pace.step(0.0005)).toBe(false);
    expect(pace.step(0.0011)).toBe(true);
    expect(pace.step(1)).toBe(true);
  });
});
