/**
 * Speech to text's named failures: the model would not load or warm up (`model-load`), a turn
 * could not be transcribed (`transcription`), the server failed or could not be reached
 * (`server`), or it answered with something that is not a transcript (`bad-answer`).
 */
import { StageError, type FailurePhase } from '../../worker/stageError';

export type TranscriptionErrorCode = 'model-load' | 'transcription' | 'server' | 'timeout' | 'bad-answer';

export class TranscriptionError extends StageError {
  override readonly name = 'TranscriptionError';

  constructor(code: TranscriptionErrorCode, message: string, phase: FailurePhase = 'request', options?: ErrorOptions) {
    super(code, message, phase, options);
  }
}
