import { describe, expect, it } from 'vitest';
import { RequestQueue } from './requestQueue';

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

/** A task the test finishes by hand, recording when it starts. */
function manualTask(log: string[], name: string) {
  let finish: () => void = () => undefined;
  const task = (signal: AbortSignal) =>
    new Promise<string>((resolve, reject) => {
      log.push(`start ${name}`);
      finish = () => resolve(name);
      signal.addEventListener('abort', () => reject(signal.reason as Error));
    });
  return { task, finish: () => finish() };
}

describe('RequestQueue', () => {
  it('runs one request at a time, in the order they came', async () => {
    const queue = new RequestQueue();
    const log: string[] = [];
    const a = manualTask(log, 'a');
    const b = manualTask(log, 'b');
    const c = manualTask(log, 'c');
    const results = [queue.run(new AbortController().signal, a.task), queue.run(new AbortController().signal, b.task), queue.run(new AbortController().signal, c.task)];
    await tick();
    expect(log).toEqual(['start a']);
    a.finish();
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.finish();
    await tick();
    c.finish();
    await expect(Promise.all(results)).resolves.toEqual(['a', 'b', 'c']);
  });

  it('a request cancelled while waiting rejects at once and never runs', async () => {
    const queue = new RequestQueue();
    const log: string[] = [];
    const a = manualTask(log, 'a');
    const b = manualTask(log, 'b');
    const c = manualTask(log, 'c');
    const controller = new AbortController();
    const first = queue.run(new AbortController().signal, a.task);
    const second = queue.run(controller.signal, b.task);
    const third = queue.run(new AbortController().signal, c.task);
    controller.abort(new Error('superseded'));
    await expect(second).rejects.toThrow('superseded');
    a.finish();
    await tick();
    c.finish();
    await expect(Promise.all([first, third])).resolves.toEqual(['a', 'c']);
    expect(log).toEqual(['start a', 'start c']);
  });

  it('a running request sees its signal abort; the next starts as soon as it returns', async () => {
    const queue = new RequestQueue();
    const log: string[] = [];
    const a = manualTask(log, 'a');
    const b = manualTask(log, 'b');
    const controller = new AbortController();
    const first = queue.run(controller.signal, a.task);
    const second = queue.run(new AbortController().signal, b.task);
    await tick();
    controller.abort(new Error('barge-in'));
    await expect(first).rejects.toThrow('barge-in');
    await tick();
    expect(log).toEqual(['start a', 'start b']);
    b.finish();
    await expect(second).resolves.toBe('b');
  });

  it('a request already cancelled does not run, and leaves the queue free', async () => {
    const queue = new RequestQueue();
    const log: string[] = [];
    const controller = new AbortController();
    controller.abort(new Error('gone'));
    await expect(queue.run(controller.signal, manualTask(log, 'a').task)).rejects.toThrow('gone');
    const b = manualTask(log, 'b');
    const second = queue.run(new AbortController().signal, b.task);
    await tick();
    b.finish();
    await expect(second).resolves.toBe('b');
    expect(log).toEqual(['start b']);
  });
});
