/**
 * The microphone as 16 kHz frames, through the capture worklet: the one place the page opens the
 * microphone, for listening in the page (its frames go straight to the VAD worker through a port)
 * and for the Realtime client (its frames come to this thread, to be sent to the server). It keeps
 * going through what goes wrong while it is open (the microphone unplugged: the default one takes
 * over; the browser pausing audio) and says what happened. Open it from a click (browsers start
 * audio only after a user gesture).
 */
import captureWorkletUrl from '../../workers/capture.worklet.ts?worker&url';
import type { CaptureCommand, CapturedFrame } from './captureProtocol';
import { describeMicrophoneError, openMicrophone, type MicrophoneOptions } from './microphone';

/** What happens to the microphone after it opened. */
export type CaptureEvent =
  | { readonly kind: 'suspended'; readonly message: string }
  | { readonly kind: 'running' }
  /** It went away and the default microphone took over. */
  | { readonly kind: 'switched'; readonly message: string }
  /** It went away and no other could be opened. */
  | { readonly kind: 'lost'; readonly message: string }
  /** A microphone or speakers came or went: the lists may have changed. */
  | { readonly kind: 'devices_changed' };

/** Where the frames go: a callback on this thread, or a port another thread reads (the VAD worker). */
export type FrameSink = ((samples: Float32Array) => void) | MessagePort;

export const SUSPENDED_MESSAGE = 'The browser paused audio, so nothing is heard. Click Resume to listen again.';
export const SWITCHED_MESSAGE = 'The microphone was disconnected; listening continues on the default microphone.';

export class MicrophoneCapture {
  private stopped = false;
  private muted = false;
  private source: MediaStreamAudioSourceNode;
  /** The stream heard now: `stream`, or another after a switch or after it went away. */
  private current: MediaStream;
  private readonly onDeviceChange = () => this.onEvent({ kind: 'devices_changed' });

  private constructor(
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    /** The microphone's first stream (WebRTC sends it as it is; a microphone taken over later is not in it). */
    readonly stream: MediaStream,
    private options: MicrophoneOptions,
    private readonly onEvent: (event: CaptureEvent) => void,
  ) {
    this.current = stream;
    this.source = context.createMediaStreamSource(stream);
    this.source.connect(node);
    this.watch(stream);
    context.onstatechange = () => this.onContextState();
    navigator.mediaDevices.addEventListener('devicechange', this.onDeviceChange);
  }

  /**
   * Opens the microphone and starts its frames. Rejects with a sentence that says what to do (the
   * microphone blocked, missing, in use); aborting `signal` closes it, or never opens it.
   */
  static async open(options: MicrophoneOptions, frames: FrameSink, onEvent: (event: CaptureEvent) => void = () => undefined, signal?: AbortSignal): Promise<MicrophoneCapture> {
    const context = new AudioContext({ latencyHint: 'interactive' });
    // Asked for at once, while the click still counts as a gesture.
    const resumed = context.resume();
    let stream: MediaStream | null = null;
    try {
      await context.audioWorklet.addModule(captureWorkletUrl);
      signal?.throwIfAborted();
      const node = new AudioWorkletNode(context, 'capture', { numberOfInputs: 1, numberOfOutputs: 0 });
      let port = frames;
      if (typeof frames === 'function') {
        const channel = new MessageChannel();
        channel.port2.onmessage = (event: MessageEvent<CapturedFrame>) => frames(event.data.samples);
        port = channel.port1;
      }
      const connect: CaptureCommand = { kind: 'connect', port: port as MessagePort };
      node.port.postMessage(connect, [port as MessagePort]);
      stream = await openMicrophone(options);
      signal?.throwIfAborted();
      const capture = new MicrophoneCapture(context, node, stream, options, onEvent);
      await resumed;
      return capture;
    } catch (error) {
      stream?.getTracks().forEach((track) => track.stop());
      void context.close();
      throw signal?.aborted ? signal.reason : error;
    }
  }

  get label(): string {
    return this.current.getAudioTracks()[0]?.label ?? 'microphone';
  }

  get sampleRate(): number {
    return this.context.sampleRate;
  }

  /** The browser has paused audio (nothing is heard until a click resumes it). */
  get suspended(): boolean {
    const state: string = this.context.state;
    return state === 'suspended' || state === 'interrupted';
  }

  /** Silence instead of the microphone (half duplex, push to talk not held): in the frames, and in the track WebRTC sends as it is. */
  mute(muted: boolean): void {
    this.muted = muted;
    const command: CaptureCommand = { kind: 'mute', muted };
    this.node.port.postMessage(command);
    for (const track of this.current.getAudioTracks()) track.enabled = !muted;
  }

  /** Resumes audio the browser suspended; call it from a click. */
  async resume(): Promise<void> {
    await this.context.resume();
  }

  /** Listens through another microphone from now on; rejects with why it could not (the one before goes on). */
  async switchMicrophone(deviceId: string | null): Promise<void> {
    const options = { ...this.options, deviceId };
    const stream = await openMicrophone(options);
    if (this.stopped) {
      stream.getTracks().forEach((track) => track.stop());
      return;
    }
    this.options = options;
    this.connect(stream);
  }

  private connect(stream: MediaStream): void {
    this.source.disconnect();
    this.unwatch(this.current);
    this.current.getTracks().forEach((track) => track.stop());
    this.current = stream;
    this.source = this.context.createMediaStreamSource(stream);
    this.source.connect(this.node);
    this.watch(stream);
    for (const track of stream.getAudioTracks()) track.enabled = !this.muted;
  }

  private watch(stream: MediaStream): void {
    const [track] = stream.getAudioTracks();
    if (track) track.onended = () => void this.onMicrophoneLost();
  }

  private unwatch(stream: MediaStream): void {
    for (const track of stream.getAudioTracks()) track.onended = null;
  }

  /** The microphone went away (unplugged, or taken by the system): carry on with the default one. */
  private async onMicrophoneLost(): Promise<void> {
    if (this.stopped) return;
    try {
      const stream = await openMicrophone({ ...this.options, deviceId: null });
      if (this.stopped) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      this.options = { ...this.options, deviceId: null };
      this.connect(stream);
      this.onEvent({ kind: 'switched', message: SWITCHED_MESSAGE });
    } catch (error) {
      this.onEvent({ kind: 'lost', message: `The microphone was disconnected and no other one could be opened: ${error instanceof Error ? error.message : describeMicrophoneError(error)}` });
    }
  }

  private onContextState(): void {
    if (this.stopped) return;
    if (this.suspended) this.onEvent({ kind: 'suspended', message: SUSPENDED_MESSAGE });
    else if (this.context.state === 'running') this.onEvent({ kind: 'running' });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    navigator.mediaDevices.removeEventListener('devicechange', this.onDeviceChange);
    for (const stream of new Set([this.stream, this.current])) {
      this.unwatch(stream);
      stream.getTracks().forEach((track) => track.stop());
    }
    this.source.disconnect();
    const stop: CaptureCommand = { kind: 'stop' };
    this.node.port.postMessage(stop);
    void this.context.close();
  }
}
