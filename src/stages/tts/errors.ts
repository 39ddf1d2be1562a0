/**
 * Text to speech's named failures: a voice model that cannot be loaded (`model-load`), a batch
 * the model could not speak (`synthesis`), a speech server that failed (`server`) or answered with
 * audio the browser cannot decode (`bad-answer`).
 */
import { StageError, type FailurePhase } from '../../worker/stageError';

export type SpeechErrorCode = 'model-load' | 'synthesis' | 'server' | 'timeout' | 'bad-answer';

export class SpeechError extends StageError {
  override readonly name = 'SpeechError';

  constructor(code: SpeechErrorCode, message: string, phase: FailurePhase = 'request', options?: ErrorOptions) {
    super(code, message, phase, options);
  }
}
