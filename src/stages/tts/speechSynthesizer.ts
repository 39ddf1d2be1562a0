/** What every text-to-speech backend is to a reply: speech for one sentence batch at a time. */
export interface SpeechSynthesizer {
  /** Speech for `text` at the speakers' rate; rejects with a sentence that says what to check. */
  speak(text: string, signal: AbortSignal): Promise<Float32Array>;
}
