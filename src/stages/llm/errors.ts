/**
 * The language model's named failures: a model that cannot be loaded (`model-load`), a request
 * that failed or was cut (`request`), and an API key held back because its endpoint moved to
 * another host (`key-held`, see keyBinding).
 */
import { StageError } from '../../worker/stageError';

export class LanguageModelLoadError extends StageError {
  override readonly name = 'LanguageModelLoadError';

  constructor(message: string, options?: ErrorOptions) {
    super('model-load', message, 'load', options);
  }
}

export class LlmRequestError extends StageError {
  override readonly name = 'LlmRequestError';

  constructor(message: string, options?: ErrorOptions) {
    super('request', message, 'request', options);
  }
}
