/**
 * A failure of a stage, named by a code the page can act on (`crashed`, `model-load`, `http-401`,
 * ...) and described by a sentence for the user that says what happened and what to do. Errors
 * thrown in a worker reach the page as one of these, with the same code and sentence.
 */
export type FailurePhase = 'load' | 'run' | 'request';

export class StageError extends Error {
  override readonly name: string = 'StageError';

  constructor(
    readonly code: string,
    message: string,
    readonly phase: FailurePhase = 'run',
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** The code of any thrown value: a StageError's own, else `fallback`. */
export function errorCode(error: unknown, fallback: string): string {
  return error instanceof StageError ? error.code : fallback;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Why a signal aborted, as an Error (a plain `abort()` gives an AbortError). */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The request was stopped.', 'AbortError');
}
