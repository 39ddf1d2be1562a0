import { afterEach, describe, expect, it } from 'vitest';
import { MIN_HEADWAY_BYTES } from '../models/downloadPace';
import { StageError } from './stageError';
import { WorkerClient, type WorkerLike } from './workerClient';
import { hostStage, type StageHandlers, type WorkerScope } from './workerHost';
import type { StageProtocol } from './workerProtocol';

interface EchoProtocol extends StageProtocol {
  readonly load: { readonly model: string };
  readonly ready: { readonly model: string };
  readonly request: { readonly text: string; readonly delayMs?: number };
  readonly partial: string;
  readonly result: { readonly text: string };
  readonly event: { readonly heard: number };
}

/** A worker made of a MessageChannel: the real client on one end, the real host on the other. */
class ChannelWorker extends EventTarget implements WorkerLike {
  readonly channel = new MessageChannel();
  terminated = false;
  readonly scope: WorkerScope;

  constructor() {
    super();
    const { port1, port2 } = this.channel;
    port1.addEventListener('message', (event: MessageEvent<unknown>) => this.dispatchEvent(new MessageEvent('message', { data: event.data })));
    port1.start();
    port2.start();
    this.scope = {
      postMessage: (message, transfer) => port2.postMessage(message, transfer),
      addEventListener: (type, listener) => {
        port2.addEventListener(type, listener);
      },
      close: () => port2.close(),
    };
  }

  postMessage(message: unknown, transfer: Transferable[]): void {
    if (!this.terminated) this.channel.port1.postMessage(message, transfer);
  }

  terminate(): void {
    this.terminated = true;
    this.channel.port1.close();
    this.channel.port2.close();
  }

  /** What the browser does when the worker's script throws. */
  crash(message: string): void {
    this.dispatchEvent(Object.assign(new Event('error', { cancelable: true }), { message }));
  }
}

const workers: ChannelWorker[] = [];
afterEach(() => {
  for (const worker of workers.splice(0)) worker.terminate();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function echoWorker(handlers: Partial<StageHandlers<EchoProtocol>> = {}) {
  const worker = new ChannelWorker();
  workers.push(worker);
  const host = hostStage<EchoProtocol>(worker.scope, {
    load: ({ model }, progress) => {
      progress({ file: `${model}.onnx`, loaded: 5, total: 10, done: false });
      progress({ file: `${model}.onnx`, loaded: 10, total: 10, done: true });
      return Promise.resolve({ model });
    },
    request: async ({ text, delayMs = 0 }, context) => {
      const { signal } = context;
      for (const word of text.split(' ')) {
        context.partial(word);
        await sleep(delayMs);
        signal.throwIfAborted();
      }
      if (text === 'fail') throw new StageError('bad-input', 'The text was bad.');
      return { result: { text: text.toUpperCase() } };
    },
    ...handlers,
  });
  return { worker, host };
}

describe('WorkerClient with the worker host', () => {
  it('loads with progress, then answers each request by its id, partial answers first', async () => {
    const { worker } = echoWorker();
    const progress: number[] = [];
    const client = new WorkerClient<EchoProtocol>(worker, 'echo', { onProgress: (event) => progress.push(event.loaded) });
    await expect(client.load({ model: 'tiny' })).resolves.toEqual({ model: 'tiny' });
    expect(progress).toEqual([5, 10]);
    const partials: string[] = [];
    const [slow, fast] = await Promise.all([
      client.request({ text: 'slow one', delayMs: 30 }, { onPartial: (word) => partials.push(`slow:${word}`) }),
      client.request({ text: 'fast' }, { onPartial: (word) => partials.push(`fast:${word}`) }),
    ]);
    expect(slow).toEqual({ text: 'SLOW ONE' });
    expect(fast).toEqual({ text: 'FAST' });
    expect(partials).toContain('slow:one');
    expect(partials).toContain('fast:fast');
  });

  it('requests sent before the load is done wait for it', async () => {
    const { worker } = echoWorker({
      load: async ({ model }) => {
        await sleep(40);
        return { model };
      },
    });
    const client = new WorkerClient<EchoProtocol>(worker, 'echo');
    const loading = client.load({ model: 'tiny' });
    const answer = client.request({ text: 'early' });
    await expect(answer).resolves.toEqual({ text: 'EARLY' });
    await loading;
  });

  it('a failed request rejects with its code and sentence; the worker goes on', async () => {
    const { worker } = echoWorker();
    const client = new WorkerClient<EchoProtocol>(worker, 'echo');
    await client.load({ model: 'tiny' });
    await expect(client.request({ text: 'fail' })).rejects.toMatchObject({ name: 'StageError', code: 'bad-input', message: 'The text was bad.', phase: 'request' });
    await expect(client.request({ text: 'next' })).resolves.toEqual({ text: 'NEXT' });
  });

  it('a failed load rejects with its code, and every later request with the same error', async () => {
    const { worker } = echoWorker({
      load: () => Promise.reject(new StageError('model-missing', 'No such model: check stt_model_name.')),
    });
    const client = new WorkerClient<EchoProtocol>(worker, 'echo');
    await expect(client.load({ model: 'none' })).rejects.toMatchObject({ code: 'model-missing', phase: 'load', message: 'No such model: check stt_model_name.' });
    await expect(client.request({ text: 'x' })).rejects.toMatchObject({ code: 'model-missing' });
    expect(worker.terminated).toBe(true);
  });

  it('a cancelled request rejects at once with the abort reason, and the worker sees the cancel', async () => {
    let cancelled = false;
    const { worker } = echoWorker({
      request: async (_payload, { signal }) => {
        await new Promise((resolve) => signal.addEventListener('abort', resolve));
        cancelled = true;
        throw signal.reason;
      },
    });
    const client = new WorkerClient<EchoProtocol>(worker, 'echo');
    await client.load({ model: 'tiny' });
    const controller = new AbortController();
    const answer = client.request({ text: 'long' }, { signal: controller.signal });
    await sleep(5);
    controller.abort(new Error('barge-in'));
    await expect(answer).rejects.toThrow('barge-in');
    await expect.poll(() => cancelled).toBe(true);
  });

  it('a crash after load rejects what is pending and is reported once, with a code', async () => {
    const { worker } = echoWorker({ request: () => new Promise(() => undefined) });
    const failures: StageError[] = [];
    const client = new WorkerClient<EchoProtocol>(worker, 'speech-to-text', { onFailed: (error) => failures.push(error) });
    await client.load({ model: 'tiny' });
    const pending = client.request({ text: 'never answered' });
    worker.crash('out of memory');
    await expect(pending).rejects.toMatchObject({ code: 'crashed', phase: 'run' });
    expect(failures).toHaveLength(1);
    expect(failures[0]?.message).toBe('The speech-to-text worker stopped (out of memory).');
    expect(worker.terminated).toBe(true);
    await expect(client.request({ text: 'after' })).rejects.toMatchObject({ code: 'crashed' });
  });

  it('a crash while loading rejects the load, and an unreadable message is named too', async () => {
    const { worker } = echoWorker({ load: () => new Promise(() => undefined) });
    const client = new WorkerClient<EchoProtocol>(worker, 'echo');
    const loading = client.load({ model: 'tiny' });
    worker.crash('');
    await expect(loading).rejects.toMatchObject({ code: 'crashed', phase: 'load', message: 'The echo worker stopped (a script error). Stop and start again, or reload the page.' });

    const second = echoWorker({ load: () => new Promise(() => undefined) });
    const other = new WorkerClient<EchoProtocol>(second.worker, 'echo');
    const otherLoading = other.load({ model: 'tiny' });
    second.worker.dispatchEvent(new Event('messageerror'));
    await expect(otherLoading).rejects.toMatchObject({ code: 'unreadable-message' });
  });

  it('events the worker reports unasked reach onEvent; a run failure ends the worker', async () => {
    const { worker, host } = echoWorker();
    const heard: number[] = [];
    const failures: string[] = [];
    const client = new WorkerClient<EchoProtocol>(worker, 'echo', { onEvent: (event) => heard.push(event.heard), onFailed: (error) => failures.push(error.code) });
    await client.load({ model: 'tiny' });
    host.emit({ heard: 1 });
    host.emit({ heard: 2 });
    await expect.poll(() => heard).toEqual([1, 2]);
    host.fail('vad-stopped', 'Voice activity detection stopped.');
    await expect.poll(() => failures).toEqual(['vad-stopped']);
  });

  it('buffers are transferred with a result, not copied', async () => {
    interface AudioProtocol extends StageProtocol {
      readonly load: null;
      readonly ready: null;
      readonly request: { readonly samples: Float32Array };
      readonly partial: never;
      readonly result: Float32Array;
      readonly event: never;
    }
    const worker = new ChannelWorker();
    workers.push(worker);
    let sent: Float32Array | null = null;
    hostStage<AudioProtocol>(worker.scope, {
      load: () => Promise.resolve(null),
      request: ({ samples }) => {
        sent = samples.map((value) => value * 2);
        return Promise.resolve({ result: sent, transfer: [sent.buffer] });
      },
    });
    const client = new WorkerClient<AudioProtocol>(worker, 'audio');
    await client.load(null);
    const input = new Float32Array([1, 2, 3]);
    const doubled = await client.request({ samples: input }, { transfer: [input.buffer] });
    expect([...doubled]).toEqual([2, 4, 6]);
    expect(input.length).toBe(0);
    expect((sent as Float32Array | null)?.length).toBe(0);
  });

  it('stop asks the worker to release its models and close; pending requests reject', async () => {
    let released = false;
    const { worker } = echoWorker({ request: () => new Promise(() => undefined), stop: () => void (released = true) });
    const client = new WorkerClient<EchoProtocol>(worker, 'echo');
    await client.load({ model: 'tiny' });
    const pending = client.request({ text: 'x' });
    client.stop();
    await expect(pending).rejects.toMatchObject({ code: 'stopped' });
    await expect.poll(() => released).toBe(true);
  });

  describe('bounds: a worker that stops answering is stopped, and says so', () => {
    const bounds = { loadSilenceMs: 80, busySilenceMs: 80, cancelMs: 40 };

    it('a load that reports nothing for the bound fails as unresponsive; one that makes headway goes on; one that trickles fails too', async () => {
      const silent = echoWorker({ load: () => new Promise(() => undefined) });
      const client = new WorkerClient<EchoProtocol>(silent.worker, 'language model', {}, bounds);
      await expect(client.load({ model: 'tiny' })).rejects.toMatchObject({ code: 'unresponsive', phase: 'load', message: expect.stringContaining('nothing arrived for 80 ms') as string });
      expect(silent.worker.terminated).toBe(true);

      const busy = echoWorker({
        load: async ({ model }, progress) => {
          for (let step = 0; step < 5; step += 1) {
            await sleep(40);
            progress({ file: 'model.onnx', loaded: step * MIN_HEADWAY_BYTES, total: 5 * MIN_HEADWAY_BYTES, done: false });
          }
          return { model };
        },
      });
      const patient = new WorkerClient<EchoProtocol>(busy.worker, 'echo', {}, bounds);
      await expect(patient.load({ model: 'slow' })).resolves.toEqual({ model: 'slow' });

      // A byte every 20 ms: never silent, never done.
      const trickling = echoWorker({
        load: async ({ model }, progress) => {
          for (let loaded = 1; loaded < 1000; loaded += 1) {
            await sleep(20);
            progress({ file: 'model.onnx', loaded, total: 5 * MIN_HEADWAY_BYTES, done: false });
          }
          return { model };
        },
      });
      const trickled = new WorkerClient<EchoProtocol>(trickling.worker, 'speech-to-text', {}, bounds);
      await expect(trickled.load({ model: 'trickle' })).rejects.toMatchObject({ code: 'unresponsive', message: expect.stringContaining('is downloading too slowly to finish: less than 1 MB arrived in 80 ms') as string });
      expect(trickling.worker.terminated).toBe(true);
    });

    it('a cancelled request the worker does not let go of fails the worker, and its owner hears it', async () => {
      const { worker } = echoWorker({ request: () => new Promise(() => undefined) });
      const failures: string[] = [];
      const client = new WorkerClient<EchoProtocol>(worker, 'language model', { onFailed: (error) => failures.push(error.message) }, bounds);
      await client.load({ model: 'tiny' });
      const controller = new AbortController();
      const answer = client.request({ text: 'ignores abort' }, { signal: controller.signal });
      controller.abort(new Error('barge-in'));
      await expect(answer).rejects.toThrow('barge-in');
      await expect.poll(() => failures).toEqual(['The language model worker did not stop within 40 ms when asked, so it was stopped.']);
      expect(worker.terminated).toBe(true);
      expect(client.alive).toBe(false);
    });

    it('a worker with work in hand that says nothing for the bound fails; one that streams partials does not', async () => {
      const stuck = echoWorker({ request: () => new Promise(() => undefined) });
      const client = new WorkerClient<EchoProtocol>(stuck.worker, 'speech-to-text', {}, bounds);
      await client.load({ model: 'tiny' });
      await expect(client.request({ text: 'hangs' })).rejects.toMatchObject({ code: 'unresponsive', message: expect.stringContaining('said nothing for 80 ms while it had work') as string });

      const streaming = echoWorker();
      const talker = new WorkerClient<EchoProtocol>(streaming.worker, 'echo', {}, bounds);
      await talker.load({ model: 'tiny' });
      // Ten words 40 ms apart: 400 ms in all, never 80 ms silent.
      await expect(talker.request({ text: 'a b c d e f g h i j', delayMs: 40 })).resolves.toEqual({ text: 'A B C D E F G H I J' });
      // Idle afterwards: no work, no bound.
      await sleep(150);
      expect(talker.alive).toBe(true);
    });
  });
});
