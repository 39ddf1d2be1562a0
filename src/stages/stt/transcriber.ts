/** What every speech-to-text backend offers the page. */
import type { SttMessage, TranscriptionRequest } from './sttProtocol';

export type TranscriberEvent = SttMessage;

export interface Transcriber {
  /** Queues a transcription; the result (or that it was dropped) arrives as an event. */
  transcribe(request: TranscriptionRequest): void;
  dispose(): void;
}
