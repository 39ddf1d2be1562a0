/**
 * Listening, on the page's side: an AudioContext at whatever rate the device runs, the capture
 * worklet, and the VAD worker. The microphone opens while the VAD's models load: what is said
 * meanwhile waits in the frames' channel and is heard, in order, once they are ready.
 * It keeps listening through the things that go wrong while listening (the microphone unplugged,
 * the browser suspending audio) and says what happened. The microphone can be switched live.
 */
import sileroV5Url from '@ricky0123/vad-web/dist/silero_vad_v5.onnx?url';
import sileroV6Url from '@ricky0123/vad-web/dist/silero_vad_v6.onnx?url';
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import captureWorkletUrl from '../../../workers/capture.worklet.ts?worker&url';
import type { CaptureCommand } from '../../audio/captureProtocol';
import { describeMicrophoneError, openMicrophone, type MicrophoneOptions } from '../../audio/microphone';
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
  private source: MediaStreamAudioSourceNode | null = null;
  private stream: MediaStream | null = null;
  private microphone: MicrophoneOptions;
  private stopped = false;
  private readonly onDeviceChange = () => this.onEvent({ kind: 'devices_changed' });

  private constructor(
    private readonly context: AudioContext,
    private readonly vad: WorkerClient<VadProtocol>,
    private readonly node: AudioWorkletNode,
    config: ListenerConfig,
    private readonly onEvent: (event: ListenerEvent) => void,
  ) {
    this.microphone = config.microphone;
  }

  /**
   * Starts listening. Call it from a click: browsers only start audio after a user gesture.
   * Resolves once the microphone is connected; rejects with a sentence that says what to do.
   * Aborting `signal` stops a start under way at once: the VAD worker ends, and the microphone
   * is never opened, or closed as soon as it opens.
   */
  static async start(config: ListenerConfig, onEvent: (event: ListenerEvent) => void, signal?: AbortSignal): Promise<Listener> {
    const context = new AudioContext({ latencyHint: 'interactive' });
    // Asked for at once, while the click still counts as a gesture.
    const resumed = context.resume();
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
      await context.audioWorklet.addModule(captureWorkletUrl);
      signal?.throwIfAborted();
      const node = new AudioWorkletNode(context, 'capture', { numberOfInputs: 1, numberOfOutputs: 0 });
      const connect: CaptureCommand = { kind: 'connect', port: channel.port1 };
      node.port.postMessage(connect, [channel.port1]);
      listener = new Listener(context, vad, node, config, onEvent);
      // The microphone opens before the models are ready, so a question asked right after Start
      // keeps its first words: its frames wait in the channel until the VAD worker takes them.
      // The page says it listens once they are ready.
      await listener.connectMicrophone(config.microphone, false);
      signal?.throwIfAborted();
      await loaded;
      signal?.throwIfAborted();
      listener.announce();
      await resumed;
      context.onstatechange = () => listener?.onContextState();
      navigator.mediaDevices.addEventListener('devicechange', listener.onDeviceChange);
      listener.onContextState();
      return listener;
    } catch (error) {
      if (listener) listener.stop();
      else {
        vad.terminate();
        void context.close();
      }
      throw signal?.aborted ? signal.reason : error;
    } finally {
      signal?.removeEventListener('abort', abort);
    }
  }

  /** Listens through another microphone from now on; the models and the turn in progress stay. */
  async switchMicrophone(deviceId: string | null): Promise<void> {
    await this.connectMicrophone({ ...this.microphone, deviceId });
  }

  private async connectMicrophone(options: MicrophoneOptions, announce = true): Promise<void> {
    const stream = await openMicrophone(options);
    if (this.stopped) {
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    this.microphone = options;
    this.source?.disconnect();
    this.stream?.getTracks().forEach((track) => {
      track.onended = null;
      track.stop();
    });
    this.stream = stream;
    this.source = this.context.createMediaStreamSource(stream);
    this.source.connect(this.node);
    const [track] = stream.getAudioTracks();
    if (track) track.onended = () => void this.onMicrophoneLost();
    if (announce) this.announce();
  }

  private announce(): void {
    this.onEvent({ kind: 'listening', sampleRate: this.context.sampleRate, microphone: this.stream?.getAudioTracks()[0]?.label ?? 'microphone' });
  }

  /** The microphone went away (unplugged, or taken by the system): carry on with the default one. */
  private async onMicrophoneLost(): Promise<void> {
    if (this.stopped) return;
    try {
      await this.connectMicrophone({ ...this.microphone, deviceId: null });
      this.onEvent({ kind: 'microphone_switched', message: 'The microphone was disconnected; listening continues on the default microphone.' });
    } catch (error) {
      this.onEvent({
        kind: 'error',
        code: 'microphone',
        message: `The microphone was disconnected and no other one could be opened: ${error instanceof Error ? error.message : describeMicrophoneError(error)}`,
        fatal: true,
      });
    }
  }

  private onContextState(): void {
    if (this.stopped) return;
    const state: string = this.context.state;
    if (state === 'suspended' || state === 'interrupted') {
      this.onEvent({ kind: 'suspended', message: 'The browser paused audio, so nothing is heard. Click Resume to listen again.' });
    } else if (state === 'running') {
      this.onEvent({ kind: 'listening', sampleRate: this.context.sampleRate, microphone: this.stream?.getAudioTracks()[0]?.label ?? 'microphone' });
    }
  }

  /** Resumes audio the browser suspended; call it from a click. */
  async resume(): Promise<void> {
    await this.context.resume();
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
    const command: CaptureCommand = { kind: 'mute', muted };
    this.node.port.postMessage(command);
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    navigator.mediaDevices.removeEventListener('devicechange', this.onDeviceChange);
    this.stream?.getTracks().forEach((track) => {
      track.onended = null;
      track.stop();
    });
    this.source?.disconnect();
    const stopCapture: CaptureCommand = { kind: 'stop' };
    this.node.port.postMessage(stopCapture);
    this.vad.stop();
    void this.context.close();
  }
}
