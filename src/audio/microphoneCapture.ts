/**
 * The microphone as 16 kHz frames on the page's thread, through the same capture worklet as
 * listening uses: for the Realtime client, which sends the audio to a server instead of a VAD
 * worker. Open it from a click (browsers start audio only after a user gesture).
 */
import captureWorkletUrl from '../../workers/capture.worklet.ts?worker&url';
import type { CaptureCommand, CapturedFrame } from './captureProtocol';
import { describeMicrophoneError, openMicrophone, type MicrophoneOptions } from './microphone';

/** What happens to the microphone after it opened, in the words listening uses for the same. */
export type CaptureEvent =
  | { readonly kind: 'suspended'; readonly message: string }
  | { readonly kind: 'running' }
  /** It went away and the default microphone took over. */
  | { readonly kind: 'switched'; readonly message: string }
  /** It went away and no other could be opened. */
  | { readonly kind: 'lost'; readonly message: string }
  /** A microphone or speakers came or went: the lists may have changed. */
  | { readonly kind: 'devices_changed' };

export class MicrophoneCapture {
  private stopped = false;
  private muted = false;
  private source: MediaStreamAudioSourceNode;
  /** The stream heard now: `stream`, or the default microphone's after it went away. */
  private current: MediaStream;

  private constructor(
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    /** The microphone's stream (WebRTC sends it as it is; a microphone taken over later is not in it). */
    readonly stream: MediaStream,
    private readonly options: MicrophoneOptions,
    private readonly onEvent: (event: CaptureEvent) => void,
  ) {
    this.current = stream;
    this.source = context.createMediaStreamSource(stream);
    this.source.connect(node);
    this.watch(stream);
    context.onstatechange = () => this.onContextState();
  }

  /** Rejects with a sentence that says what to do (the microphone blocked, missing, in use). */
  static async open(options: MicrophoneOptions, onFrame: (samples: Float32Array) => void, onEvent: (event: CaptureEvent) => void = () => undefined): Promise<MicrophoneCapture> {
    const context = new AudioContext({ latencyHint: 'interactive' });
    const resumed = context.resume();
    try {
      await context.audioWorklet.addModule(captureWorkletUrl);
      const node = new AudioWorkletNode(context, 'capture', { numberOfInputs: 1, numberOfOutputs: 0 });
      const channel = new MessageChannel();
      channel.port2.onmessage = (event: MessageEvent<CapturedFrame>) => onFrame(event.data.samples);
      const connect: CaptureCommand = { kind: 'connect', port: channel.port1 };
      node.port.postMessage(connect, [channel.port1]);
      const stream = await openMicrophone(options);
      const capture = new MicrophoneCapture(context, node, stream, options, onEvent);
      await resumed;
      return capture;
    } catch (error) {
      void context.close();
      throw error;
    }
  }

  get label(): string {
    return this.stream.getAudioTracks()[0]?.label ?? 'microphone';
  }

  /** Silence instead of the microphone (half duplex, push to talk not held): in the frames, and in the track WebRTC sends as it is. */
  mute(muted: boolean): void {
    this.muted = muted;
    const command: CaptureCommand = { kind: 'mute', muted };
    this.node.port.postMessage(command);
    for (const track of this.stream.getAudioTracks()) track.enabled = !muted;
  }

  /** Resumes audio the browser suspended; call it from a click. */
  async resume(): Promise<void> {
    await this.context.resume();
  }

  private watch(stream: MediaStream): void {
    const [track] = stream.getAudioTracks();
    if (track) track.onended = () => void this.onMicrophoneLost();
  }

  /** The microphone went away (unplugged, or taken by the system): carry on with the default one, as listening does. */
  private async onMicrophoneLost(): Promise<void> {
    if (this.stopped) return;
    try {
      const stream = await openMicrophone({ ...this.options, deviceId: null });
      if (this.stopped) {
        stream.getTracks().forEach((track) => track.stop());
        return;
      }
      this.source.disconnect();
      this.current = stream;
      this.source = this.context.createMediaStreamSource(stream);
      this.source.connect(this.node);
      this.watch(stream);
      for (const track of stream.getAudioTracks()) track.enabled = !this.muted;
      this.onEvent({ kind: 'switched', message: 'The microphone was disconnected; listening continues on the default microphone.' });
    } catch (error) {
      this.onEvent({ kind: 'lost', message: `The microphone was disconnected and no other one could be opened: ${error instanceof Error ? error.message : describeMicrophoneError(error)}` });
    }
  }

  private onContextState(): void {
    if (this.stopped) return;
    const state: string = this.context.state;
    if (state === 'suspended' || state === 'interrupted') this.onEvent({ kind: 'suspended', message: 'The browser paused audio, so nothing is heard. Click Resume to listen again.' });
    else if (state === 'running') this.onEvent({ kind: 'running' });
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    for (const stream of new Set([this.stream, this.current])) stream.getTracks().forEach((track) => track.stop());
    const stop: CaptureCommand = { kind: 'stop' };
    this.node.port.postMessage(stop);
    void this.context.close();
  }
}
