/**
 * Listening, on the page's side: the microphone's capture (its frames go straight to the VAD
 * worker through a port) and the VAD worker. The microphone opens while the VAD's models load:
 * what is said meanwhile waits in the frames' channel and is heard, in order, once they are ready.
 * What goes wrong while listening (the microphone unplugged, the browser suspending audio) is
 * the capture's to handle; listening says it in its own events. The microphone can be switched live.
 */
import sileroV5Url from '@ricky0123/vad-web/dist/silero_vad_v5.onnx?url';
import sileroV6Url from '@ricky0123/vad-web/dist/silero_vad_v6.onnx?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import { MicrophoneCapture, SUSPENDED_MESSAGE, type CaptureEvent } from '../../audio/microphoneCapture';
import type { LoadProgress } from '../../models/loadProgress';
import { WorkerClient } from '../../worker/workerClient';
import type { ListenerConfig } from './listenerConfig';
import type { VadEvent, VadLoad, VadProtocol } from './vadProtocol';

export type ListenerEvent =
  | VadEvent
  | { readonly kind: 'loading'; readonly progress: LoadProgress }
  | { readonly kind: 'listening'; readonly sampleRate: number; readonly microphone: string }
  | { readonly kind: 'suspended'; readonly message: string }
  | { readonly kind: 'microphone_switched'; readonly message: string }
  | { readonly kind: 'devices_changed' }
  /** Fatal: listening has stopped. */
  | { readonly kind: 'error'; readonly code: string; readonly message: string; readonly fatal: boolean };

export class Listener {
  private stopped = false;
  /** The VAD is ready and the page was told it listens: the capture's events are told from here. */
  private announced = false;

  private constructor(
    private readonly vad: WorkerClient<VadProtocol>,
    private capture: MicrophoneCapture | null,
    private readonly onEvent: (event: ListenerEvent) => void,
  ) {}

  /**
   * Starts listening. Call it from a click: browsers only start audio after a user gesture.
   * Resolves once the microphone is connected; rejects with a sentence that says what to do.
   * Aborting `signal` stops a start under way at once: the VAD worker ends, and the microphone
   * is never opened, or closed as soon as it opens.
   */
  static async start(config: ListenerConfig, onEvent: (event: ListenerEvent) => void, signal?: AbortSignal): Promise<Listener> {
    let listener: Listener | null = null;
    const vad = new WorkerClient<VadProtocol>(new Worker(new URL('../../../workers/vad.worker.ts', import.meta.url), { type: 'module', name: 'vad' }), 'voice activity', {
      onProgress: (progress) => onEvent({ kind: 'loading', progress }),
      onEvent: (event) => listener?.onEvent(event),
      onFailed: (error) => {
        if (listener && !listener.stopped) listener.onEvent({ kind: 'error', code: error.code, message: error.message, fatal: true });
      },
    });
    const channel = new MessageChannel();
    // Ends the VAD worker, which rejects its load at once.
    const abort = () => vad.terminate();
    signal?.addEventListener('abort', abort, { once: true });
    try {
      signal?.throwIfAborted();
      const load: VadLoad = {
        options: config.turnDetection,
        sileroModelUrl: new URL(config.sileroVersion === 'v6' ? sileroV6Url : sileroV5Url, location.href).href,
        smartTurnModelUrl: config.smartTurnModelUrl,
        ortWasmUrl: new URL(ortWasmUrl, location.href).href,
        threads: config.threads,
        frames: channel.port2,
      };
      const loaded = vad.load(load, [channel.port2]);
      // Awaited below; a Stop or a failure meanwhile is handled there, not left unhandled.
      loaded.catch(() => undefined);
      listener = new Listener(vad, null, onEvent);
      const opened = listener;
      // The microphone opens before the models are ready, so a question asked right after Start
      // keeps its first words: its frames wait in the channel until the VAD worker takes them.
      // The page says it listens once they are ready.
      opened.capture = await MicrophoneCapture.open(config.microphone, channel.port1, (event) => opened.onCaptureEvent(event), signal);
      await loaded;
      signal?.throwIfAborted();
      opened.announced = true;
      if (opened.capture.suspended) opened.onCaptureEvent({ kind: 'suspended', message: '' });
      else opened.announce();
      return opened;
    } catch (error) {
      if (listener) listener.stop();
      else vad.terminate();
      throw signal?.aborted ? signal.reason : error;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** Listens through another microphone from now on; the models and the turn in progress stay. */
  async switchMicrophone(deviceId: string | null): Promise<void> {
    await this.capture?.switchMicrophone(deviceId);
    this.announce();
  }

  private announce(): void {
    if (!this.capture || this.stopped) return;
    this.onEvent({ kind: 'listening', sampleRate: this.capture.sampleRate, microphone: this.capture.label });
  }

  private onCaptureEvent(event: CaptureEvent): void {
    if (this.stopped) return;
    switch (event.kind) {
      case 'suspended':
        if (this.announced) this.onEvent({ kind: 'suspended', message: SUSPENDED_MESSAGE });
        return;
      case 'running':
        if (this.announced) this.announce();
        return;
      case 'switched':
        this.onEvent({ kind: 'microphone_switched', message: event.message });
        this.announce();
        return;
      case 'lost':
        this.onEvent({ kind: 'error', code: 'microphone', message: event.message, fatal: true });
        return;
      case 'devices_changed':
        this.onEvent({ kind: 'devices_changed' });
        return;
    }
  }

  /** Resumes audio the browser suspended; call it from a click. */
  async resume(): Promise<void> {
    await this.capture?.resume();
  }

  /** Ends the turn being heard now (send now; push to talk let go). */
  async endTurn(): Promise<void> {
    await this.vad.request({ kind: 'end_turn' });
  }

  /** Push to talk held (the turn stays the user's through pauses) or let go. */
  async hold(holding: boolean): Promise<void> {
    await this.vad.request({ kind: 'hold', holding });
  }

  /** The microphone is heard as silence (half duplex while the assistant speaks; push to talk while not held). */
  mute(muted: boolean): void {
    this.capture?.mute(muted);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.capture?.stop();
    this.vad.stop();
  }
}
