/** Messages between the page, the capture AudioWorklet and the VAD worker. */

export const CAPTURE_SAMPLE_RATE = 16_000;
export const CAPTURE_FRAME_SAMPLES = 512;

/** To the worklet: where to send frames, mute (silence instead of the microphone: half duplex), or stop. */
export type CaptureCommand = { readonly kind: 'connect'; readonly port: MessagePort } | { readonly kind: 'mute'; readonly muted: boolean } | { readonly kind: 'stop' };

/** From the worklet: one frame; `index` counts frames since capture started, so index * 32 ms is its time. */
export interface CapturedFrame {
  readonly kind: 'frame';
  readonly index: number;
  readonly samples: Float32Array;
}
