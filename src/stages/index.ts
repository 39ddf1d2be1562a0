/**
 * What every stage shares, as the pipelines see it: how far a load is, the error a stage fails
 * with (a code and a sentence saying what to do), and how a stage that stopped after it was
 * ready comes back.
 */
export { StageError, errorMessage } from '../worker/stageError';
export { RestartPolicy, stageStopped } from '../worker/restartPolicy';
export type { LoadProgress } from '../models/loadProgress';
