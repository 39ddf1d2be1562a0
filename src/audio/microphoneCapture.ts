/**
 * The microphone as 16 kHz frames on the page's thread, through the same capture worklet as
 * listening uses: for the Realtime client, which sends the audio to a server instead of a VAD
 * worker. Open it from a click (browsers start audio only after a user gesture).
 */
import captureWorkletUrl from '../../workers/capture.worklet.ts?worker&url';
import type { CaptureCommand, CapturedFrame } from './captureProtocol';
import { openMicrophone, type MicrophoneOptions } from './microphone';

export class MicrophoneCapture {
  private stopped = false;

  private constructor(
    private readonly context: AudioContext,
    private readonly node: AudioWorkletNode,
    /** The microphone's stream (WebRTC sends it as it is). */
    readonly stream: MediaStream,
  ) {}

  /** Rejects with a sentence that says what to do (the microphone blocked, missing, in use). */
  static async open(options: MicrophoneOptions, onFrame: (samples: Float32Array) => void): Promise<MicrophoneCapture> {
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
      context.createMediaStreamSource(stream).connect(node);
      await resumed;
      return new MicrophoneCapture(context, node, stream);
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
    const command: CaptureCommand = { kind: 'mute', muted };
    this.node.port.postMessage(command);
    for (const track of this.stream.getAudioTracks()) track.enabled = !muted;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    this.stream.getTracks().forEach((track) => track.stop());
    const stop: CaptureCommand = { kind: 'stop' };
    this.node.port.postMessage(stop);
    void this.context.close();
  }
}
