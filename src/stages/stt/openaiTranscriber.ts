/**
 * `stt openai`: each utterance as a 16 kHz mono PCM16 WAV, posted to an OpenAI-compatible
 * `{openai_stt_base_url}/audio/transcriptions`. Finals are sent at once; at most one partial is in
 * flight, and only the newest waits. A failed request drops its turn with a message saying what
 * the server did; listening goes on.
 */
import { encodeWav } from '../../audio/wav';
import type { Settings } from '../../settings/schema';
import type { TranscriptionRequest } from './sttProtocol';
import type { Transcriber, TranscriberEvent } from './transcriber';
import { TurnRevisions } from './transcriptionQueue';

export type OpenAiSttSettings = Pick<
  Settings,
  'openai_stt_base_url' | 'openai_stt_api_key' | 'openai_stt_model' | 'openai_stt_language' | 'openai_stt_response_format' | 'openai_stt_timeout'
>;

class TranscriptionError extends Error {}

export class OpenAiTranscriber implements Transcriber {
  private readonly endpoint: string;
  private partialInFlight = false;
  private waitingPartial: TranscriptionRequest | null = null;
  private readonly revisions = new TurnRevisions();
  private readonly controllers = new Set<AbortController>();
  private disposed = false;

  constructor(
    private readonly settings: OpenAiSttSettings,
    private readonly onEvent: (event: TranscriberEvent) => void,
  ) {
    this.endpoint = `${settings.openai_stt_base_url.replace(/\/+$/, '')}/audio/transcriptions`;
  }

  /** The reference's start-up check: 1 s of silence, so a wrong URL or key shows before anyone speaks. */
  async warmUp(): Promise<void> {
    const began = performance.now();
    try {
      await this.post(new Float32Array(16_000));
      this.onEvent({ kind: 'ready', runtime: { device: 'wasm', dtype: 'q8', reason: `${this.settings.openai_stt_model} at ${this.settings.openai_stt_base_url}` }, loadMs: performance.now() - began });
    } catch (error) {
      this.onEvent({ kind: 'error', message: `Speech to text is not ready: ${(error as Error).message}`, fatal: false });
    }
  }

  transcribe(request: TranscriptionRequest): void {
    if (!this.revisions.note(request)) {
      this.drop(request);
      return;
    }
    if (request.mode === 'final') {
      void this.run(request);
      return;
    }
    if (this.partialInFlight) {
      if (this.waitingPartial) this.drop(this.waitingPartial);
      this.waitingPartial = request;
      return;
    }
    void this.run(request);
  }

  private drop(request: TranscriptionRequest): void {
    this.onEvent({ kind: 'dropped', id: request.id, turn: request.turn, revision: request.revision, mode: request.mode });
  }

  private async run(request: TranscriptionRequest): Promise<void> {
    if (request.mode === 'partial') this.partialInFlight = true;
    const began = performance.now();
    try {
      const text = await this.post(request.audio);
      if (this.disposed) return;
      if (this.revisions.isStale(request)) this.drop(request);
      else {
        const language = request.mode === 'final' ? (this.settings.openai_stt_language ?? '') : '';
        this.onEvent({ kind: 'transcript', id: request.id, turn: request.turn, revision: request.revision, mode: request.mode, text, language, inferenceMs: performance.now() - began, audioMs: request.audio.length / 16 });
      }
    } catch (error) {
      if (this.disposed) return;
      this.drop(request);
      // A failed partial is not worth a message: the final will say it if the server is down.
      if (request.mode === 'final') this.onEvent({ kind: 'error', id: request.id, message: `This turn was not transcribed: ${(error as Error).message}`, fatal: false });
    } finally {
      if (request.mode === 'partial') {
        this.partialInFlight = false;
        const next = this.waitingPartial;
        this.waitingPartial = null;
        if (next && !this.disposed) {
          if (this.revisions.isStale(next)) this.drop(next);
          else void this.run(next);
        }
      }
    }
  }

  private async post(audio: Float32Array): Promise<string> {
    const { settings } = this;
    const form = new FormData();
    form.append('file', new Blob([encodeWav(audio, 16_000)], { type: 'audio/wav' }), 'audio.wav');
    form.append('model', settings.openai_stt_model);
    form.append('response_format', settings.openai_stt_response_format);
    if (settings.openai_stt_language) form.append('language', settings.openai_stt_language);
    const controller = new AbortController();
    this.controllers.add(controller);
    const timer = setTimeout(() => controller.abort(), settings.openai_stt_timeout * 1000);
    let response: Response;
    try {
      response = await fetch(this.endpoint, {
        method: 'POST',
        body: form,
        signal: controller.signal,
        // The key goes to this endpoint only.
        headers: settings.openai_stt_api_key ? { Authorization: `Bearer ${settings.openai_stt_api_key}` } : {},
      });
    } catch (error) {
      if (controller.signal.aborted) {
        throw new TranscriptionError(
          this.disposed ? 'speech to text was stopped.' : `the transcription server did not answer within ${settings.openai_stt_timeout} s. Check it is running, or raise openai_stt_timeout.`,
        );
      }
      throw new TranscriptionError(`the transcription server at ${settings.openai_stt_base_url} could not be reached (${error instanceof Error ? error.message : String(error)}). Check openai_stt_base_url and that the server is running and allows this page (CORS).`);
    } finally {
      clearTimeout(timer);
      this.controllers.delete(controller);
    }
    if (!response.ok) throw new TranscriptionError(describeStatus(response.status, settings.openai_stt_base_url));
    const body = await response.text();
    if (settings.openai_stt_response_format === 'text') return body.trim();
    try {
      const parsed = JSON.parse(body) as { text?: unknown };
      if (typeof parsed.text === 'string') return parsed.text.trim();
    } catch {
      // Reported below.
    }
    throw new TranscriptionError(`the transcription server answered with something that is not a transcription (${JSON.stringify(body.slice(0, 80))}). Check openai_stt_response_format and that the server speaks the OpenAI API.`);
  }

  dispose(): void {
    this.disposed = true;
    for (const controller of this.controllers) controller.abort();
  }
}

function describeStatus(status: number, baseUrl: string): string {
  if (status === 401 || status === 403) return `the transcription server refused the request (HTTP ${status}): check openai_stt_api_key.`;
  if (status === 404) return `there is no transcription endpoint at ${baseUrl}/audio/transcriptions (HTTP 404): check openai_stt_base_url (it usually ends in /v1) and openai_stt_model.`;
  if (status === 413) return 'the utterance was too large for the transcription server (HTTP 413): speak in shorter turns or raise the server’s upload limit.';
  if (status === 429) return 'the transcription server is rate-limiting requests (HTTP 429): wait a moment and speak again.';
  if (status >= 500) return `the transcription server failed (HTTP ${status}): check its logs, then speak again.`;
  return `the transcription server rejected the request (HTTP ${status}).`;
}
