/** The speech-to-text stage, as the rest of the app sees it. */
export { TRANSCRIBER_SETTINGS, startTranscriber, type TranscriberSettings } from './startTranscriber';
export { TranscriptionError } from './errors';
export type { Transcriber, TranscriberEvent, TurnAudio } from './transcriber';
export { PartialScheduler } from './partialScheduler';
