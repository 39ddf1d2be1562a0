/**
 * The speakers: an AudioContext with the playback worklet. Chunks go in at the context's rate;
 * progress comes back as samples played per chunk. Create it from a click (browsers start audio
 * only after a user gesture).
 */
import playbackWorkletUrl from '../../workers/playback.worklet.ts?worker&url';
import type { PlaybackCommand, PlaybackMessage, PlaybackProgress } from './playbackProtocol';
import type { PlayedReport } from './playbackQueue';

/**
 * How long a flush waits for the worklet to say what played. Past it (the audio thread stalled,
 * the context closed under it) the flush counts as done with nothing more heard, so barge-in and
 * the next turn never wait on the speakers.
 */
export const FLUSH_BOUND_MS = 500;

export class Player {
  private flushWaiters: ((reports: readonly PlayedReport[]) => void)[] = [];

  private constructor(
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    private readonly onPlayed: (progress: PlaybackProgress) => void,
  ) {
    node.port.onmessage = (event: MessageEvent<PlaybackMessage>) => {
      const message = event.data;
      if (message.kind === 'played') this.onPlayed(message);
      else for (const resolve of this.flushWaiters.splice(0)) resolve(message.reports);
    };
  }

  /** Whether the browser has paused the speakers (background tab, autoplay policy): nothing plays until `resume`. */
  get suspended(): boolean {
    return this.context.state === 'suspended';
  }

  /** Calls `listener` whenever the speakers are paused or resumed by the browser. */
  onStateChange(listener: () => void): void {
    this.context.onstatechange = listener;
  }

  /** Resumes speakers the browser paused; call it from a click. */
  async resume(): Promise<void> {
    await this.context.resume();
  }

  static async create(onPlayed: (progress: PlaybackProgress) => void): Promise<Player> {
    const context = new AudioContext({ latencyHint: 'interactive' });
    const resumed = context.resume();
    try {
      await context.audioWorklet.addModule(playbackWorkletUrl);
      const node = new AudioWorkletNode(context, 'playback', { numberOfInputs: 0, numberOfOutputs: 1, outputChannelCount: [2] });
      node.connect(context.destination);
      await resumed;
      return new Player(context, node, onPlayed);
    } catch (error) {
      void context.close();
      throw new Error(`The speakers could not be opened (${error instanceof Error ? error.message : String(error)}). Reload the page and try again.`, { cause: error });
    }
  }

  get sampleRate(): number {
    return this.context.sampleRate;
  }

  /** Queues samples at `sampleRate` (the buffer is transferred). */
  play(id: number, samples: Float32Array): void {
    this.post({ kind: 'chunk', id, samples }, [samples.buffer]);
  }

  duck(ducked: boolean): void {
    this.post({ kind: 'duck', ducked });
  }

  /** Whether the browser lets the page choose the speakers (AudioContext.setSinkId). */
  static get canChooseSpeakers(): boolean {
    return typeof AudioContext !== 'undefined' && 'setSinkId' in AudioContext.prototype;
  }

  /** Plays through another output device (null: the system's default); rejects with what went wrong. */
  async setSink(deviceId: string | null): Promise<void> {
    const context = this.context as AudioContext & { setSinkId?: (id: string) => Promise<void> };
    if (!context.setSinkId) throw new Error('This browser cannot choose the speakers; the system’s default output is used.');
    await context.setSinkId(deviceId ?? '');
  }

  /** The thinking cue on or off. */
  cue(on: boolean): void {
    this.post({ kind: 'cue', on });
  }

  /** Silences playback within a render quantum; resolves with what each dropped chunk had played. */
  flush(): Promise<readonly PlayedReport[]> {
    const done = new Promise<readonly PlayedReport[]>((resolve) => {
      const timer = setTimeout(() => {
        this.flushWaiters.splice(this.flushWaiters.indexOf(answer), 1);
        resolve([]);
      }, FLUSH_BOUND_MS);
      const answer = (reports: readonly PlayedReport[]) => {
        clearTimeout(timer);
        resolve(reports);
      };
      this.flushWaiters.push(answer);
    });
    this.post({ kind: 'flush' });
    return done;
  }

  close(): void {
    this.node.disconnect();
    void this.context.close();
  }

  private post(command: PlaybackCommand, transfer: Transferable[] = []): void {
    this.node.port.postMessage(command, transfer);
  }
}
