/**
 * The listening stage's named failures. Each code says what stopped: the microphone
 * (`microphone`), Silero or the turn detection while listening (`vad-stopped`), a model that would
 * not download or load (`model-load`).
 */
import { StageError, errorMessage } from '../../worker/stageError';

export type ListeningErrorCode = 'microphone' | 'vad-stopped' | 'model-load';

export class ListeningError extends StageError {
  override readonly name = 'ListeningError';

  constructor(code: ListeningErrorCode, message: string, options?: ErrorOptions) {
    super(code, message, code === 'model-load' ? 'load' : 'run', options);
  }
}

/** Silero or the turn detection failed on a frame: listening cannot go on. */
export function vadStopped(what: 'Voice activity detection' | 'Turn detection', error: unknown): ListeningError {
  return new ListeningError('vad-stopped', `${what} stopped: ${errorMessage(error)}. Stop and start listening again.`, { cause: error });
}
