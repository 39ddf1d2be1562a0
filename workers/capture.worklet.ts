/**
 * The capture AudioWorklet: microphone audio at the context's rate in, 16 kHz mono frames of 512
 * samples out, transferred (not copied) straight to the VAD worker through a MessagePort, so no
 * audio work happens on the page's main thread.
 */
import { FrameResampler } from '../src/audio/frameResampler';
import type { CaptureCommand, CapturedFrame } from '../src/audio/captureProtocol';
import { CAPTURE_FRAME_SAMPLES, CAPTURE_SAMPLE_RATE } from '../src/audio/captureProtocol';

class CaptureProcessor extends AudioWorkletProcessor {
  private readonly resampler = new FrameResampler(sampleRate, CAPTURE_SAMPLE_RATE, CAPTURE_FRAME_SAMPLES, (frame) => this.send(frame));
  private output: MessagePort | null = null;
  private index = 0;
  private mono = new Float32Array(128);
  private running = true;
  private muted = false;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<CaptureCommand>) => {
      const command = event.data;
      if (command.kind === 'connect') this.output = command.port;
      else if (command.kind === 'mute') this.muted = command.muted;
      else this.running = false;
    };
  }

  process(inputs: Float32Array[][]): boolean {
    const channels = inputs[0];
    const first = channels?.[0];
    if (!channels || !first) return this.running;
    if (this.mono.length !== first.length) this.mono = new Float32Array(first.length);
    // Mono: the average of the channels (a stereo microphone's two sides are the same voice).
    this.mono.set(first);
    for (let channel = 1; channel < channels.length; channel++) {
      const samples = channels[channel] as Float32Array;
      for (let i = 0; i < samples.length; i++) (this.mono[i] as number) += samples[i] as number;
    }
    if (channels.length > 1) for (let i = 0; i < this.mono.length; i++) (this.mono[i] as number) /= channels.length;
    // Muted, frames keep coming (the VAD's clock goes on) but carry silence.
    if (this.muted) this.mono.fill(0);
    this.resampler.push(this.mono);
    return this.running;
  }

  private send(samples: Float32Array): void {
    const frame: CapturedFrame = { kind: 'frame', index: this.index++, samples };
    this.output?.postMessage(frame, [samples.buffer]);
  }
}

registerProcessor('capture', CaptureProcessor);
