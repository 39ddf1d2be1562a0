import { describe, expect, it } from 'vitest';
import { TranscriptionQueue, type TranscriptionJob } from './transcriptionQueue';

let nextId = 1;
const job = (turn: number, revision: number, mode: 'partial' | 'final'): TranscriptionJob => ({ id: nextId++, turn, revision, mode });

describe('TranscriptionQueue', () => {
  it('runs one job at a time', () => {
    const queue = new TranscriptionQueue();
    const first = job(1, 0, 'final');
    queue.submit(first);
    queue.submit(job(2, 0, 'final'));
    expect(queue.next()).toBe(first);
    expect(queue.next()).toBeUndefined();
    expect(queue.busy).toBe(true);
  });

  it('keeps only the newest waiting partial', () => {
    const queue = new TranscriptionQueue();
    const older = job(1, 0, 'partial');
    const newer = job(1, 0, 'partial');
    expect(queue.submit(older)).toEqual([]);
    expect(queue.submit(newer)).toEqual([older]);
    expect(queue.next()).toBe(newer);
  });

  it('runs finals before partials', () => {
    const queue = new TranscriptionQueue();
    const partial = job(2, 0, 'partial');
    const final = job(1, 0, 'final');
    queue.submit(partial);
    queue.submit(final);
    expect(queue.next()).toBe(final);
    queue.finish(final);
    expect(queue.next()).toBe(partial);
  });

  it('drops a turn’s waiting partials once its final is asked for; one already running is still delivered, before the final', () => {
    const queue = new TranscriptionQueue();
    const running = job(1, 0, 'partial');
    queue.submit(running);
    expect(queue.next()).toBe(running);
    const waiting = job(1, 0, 'partial');
    queue.submit(waiting);
    const final = job(1, 0, 'final');
    expect(queue.submit(final)).toEqual([waiting]);
    expect(queue.finish(running)).toBe(true);
    expect(queue.next()).toBe(final);
    expect(queue.finish(final)).toBe(true);
  });

  it('drops older revisions of a reopened turn', () => {
    const queue = new TranscriptionQueue();
    const blocker = job(9, 0, 'final');
    queue.submit(blocker);
    queue.next();
    const first = job(1, 0, 'final');
    queue.submit(first);
    const reopened = job(1, 1, 'final');
    expect(queue.submit(reopened)).toEqual([first]);
    expect(queue.submit(job(1, 0, 'partial'))).toHaveLength(1);
    queue.finish(blocker);
    expect(queue.next()).toBe(reopened);
  });

  it('a final still running when its turn reopens is not delivered', () => {
    const queue = new TranscriptionQueue();
    const first = job(1, 0, 'final');
    queue.submit(first);
    queue.next();
    queue.submit(job(1, 1, 'partial'));
    expect(queue.finish(first)).toBe(false);
  });

  it('partials of the reopened revision are news again', () => {
    const queue = new TranscriptionQueue();
    queue.submit(job(1, 0, 'final'));
    queue.next();
    const partial = job(1, 1, 'partial');
    expect(queue.submit(partial)).toEqual([]);
  });
});
