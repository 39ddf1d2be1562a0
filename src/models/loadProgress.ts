/**
 * How far one part of a model load has come: the one progress type every stage reports, whether
 * a file downloads (transformers.js, the VAD's model files) or a step is under way.
 */
export interface LoadProgress {
  /** What is loading: a file's name, or what it is ("voice activity model"). */
  readonly file: string;
  /** Bytes so far. */
  readonly loaded: number;
  /** Null when the server does not say how large the file is. */
  readonly total: number | null;
  readonly done: boolean;
  /** The browser's storage had no room to keep it: it runs from memory this visit and downloads again next time. */
  readonly storageFull?: boolean;
}
