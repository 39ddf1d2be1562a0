/**
 * `stt openai`: each utterance as a 16 kHz mono PCM16 WAV, posted to an OpenAI-compatible
 * `{openai_stt_base_url}/audio/transcriptions` through the openai SDK. Finals are sent at once; at
 * most one partial is in flight, and only the newest waits. A failed request drops its turn with
 * a message saying what the server did; listening goes on.
 */
import type OpenAI from 'openai';
import { encodeWav } from '../../audio/wav';
import { describeFailure, describeTimeout, endpointClient, type Endpoint } from '../../endpoints/openaiEndpoint';
import type { Settings } from '../../settings/schema';
import { TranscriptionError } from './errors';
import type { Transcriber, TranscriberEvent, TurnAudio } from './transcriber';
import { TurnRevisions } from './transcriptionQueue';

export const OPENAI_STT_SETTINGS = ['openai_stt_base_url', 'openai_stt_api_key', 'openai_stt_model', 'openai_stt_language', 'openai_stt_response_format', 'openai_stt_timeout'] as const;

export type OpenAiSttSettings = Pick<Settings, (typeof OPENAI_STT_SETTINGS)[number]>;

export function sttEndpoint(settings: OpenAiSttSettings): Endpoint {
  return {
    name: 'the transcription server',
    baseUrl: settings.openai_stt_base_url,
    apiKey: settings.openai_stt_api_key,
    keyless: 'omit',
    timeoutMs: settings.openai_stt_timeout * 1000,
    settings: { url: 'openai_stt_base_url', key: 'openai_stt_api_key', model: 'openai_stt_model', request: 'openai_stt_model and openai_stt_language', timeout: 'openai_stt_timeout' },
  };
}

export class OpenAiTranscriber implements Transcriber {
  private readonly endpoint: Endpoint;
  /** Made with the first request: the SDK loads then, not with the page. */
  private client: Promise<OpenAI> | null = null;
  private partialInFlight = false;
  private waitingPartial: TurnAudio | null = null;
  private readonly revisions = new TurnRevisions();
  private readonly controllers = new Set<AbortController>();
  private disposed = false;

  constructor(
    private readonly settings: OpenAiSttSettings,
    private readonly onEvent: (event: TranscriberEvent) => void,
  ) {
    this.endpoint = sttEndpoint(settings);
  }

  /** The reference's start-up check: 1 s of silence, so a wrong URL or key shows before anyone speaks. */
  async warmUp(): Promise<void> {
    try {
      await this.post(new Float32Array(16_000));
      this.onEvent({ kind: 'ready', description: `${this.settings.openai_stt_model} at ${this.settings.openai_stt_base_url}` });
    } catch (error) {
      this.onEvent({ kind: 'error', code: 'server', message: `Speech to text is not ready: ${(error as Error).message}`, fatal: false });
    }
  }

  transcribe(audio: TurnAudio): void {
    if (!this.revisions.note(audio)) {
      this.drop(audio);
      return;
    }
    if (audio.mode === 'final') {
      void this.run(audio);
      return;
    }
    if (this.partialInFlight) {
      if (this.waitingPartial) this.drop(this.waitingPartial);
      this.waitingPartial = audio;
      return;
    }
    void this.run(audio);
  }

  private drop({ turn, revision, mode }: TurnAudio): void {
    this.onEvent({ kind: 'dropped', turn, revision, mode });
  }

  private async run(request: TurnAudio): Promise<void> {
    if (request.mode === 'partial') this.partialInFlight = true;
    const began = performance.now();
    try {
      const text = await this.post(request.audio);
      if (this.disposed) return;
      if (this.revisions.isStale(request)) this.drop(request);
      else {
        const { turn, revision, mode } = request;
        const language = mode === 'final' ? (this.settings.openai_stt_language ?? '') : '';
        this.onEvent({ kind: 'transcript', turn, revision, mode, text, language, inferenceMs: performance.now() - began, audioMs: request.audio.length / 16 });
      }
    } catch (error) {
      if (this.disposed) return;
      this.drop(request);
      // A failed partial is not worth a message: the final will say it if the server is down.
      if (request.mode === 'final') this.onEvent({ kind: 'error', code: (error as TranscriptionError).code, message: `This turn was not transcribed: ${(error as Error).message}`, fatal: false });
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

  /** The transcript of one WAV; throws a TranscriptionError whose sentence says what to check. */
  private async post(audio: Float32Array): Promise<string> {
    const { settings } = this;
    const controller = new AbortController();
    this.controllers.add(controller);
    // The whole request, the body too, within openai_stt_timeout (the SDK's own stops counting once the headers arrive).
    const timeout = AbortSignal.timeout(this.endpoint.timeoutMs);
    let answer: unknown;
    try {
      const client = await (this.client ??= endpointClient(this.endpoint));
      answer = await client.audio.transcriptions.create(
        {
          file: new File([encodeWav(audio, 16_000)], 'audio.wav', { type: 'audio/wav' }),
          model: settings.openai_stt_model,
          response_format: settings.openai_stt_response_format,
          ...(settings.openai_stt_language ? { language: settings.openai_stt_language } : {}),
        },
        { signal: AbortSignal.any([controller.signal, timeout]) },
      );
    } catch (error) {
      if (this.disposed) throw new TranscriptionError('server', 'speech to text was stopped.');
      if (timeout.aborted) throw new TranscriptionError('timeout', describeTimeout(this.endpoint), 'request', { cause: error });
      throw new TranscriptionError('server', describeFailure(error, this.endpoint), 'request', { cause: error });
    } finally {
      this.controllers.delete(controller);
    }
    const text = transcriptText(answer, settings.openai_stt_response_format);
    if (text === null) {
      const shown = typeof answer === 'string' ? answer : JSON.stringify(answer);
      throw new TranscriptionError(
        'bad-answer',
        `the transcription server answered with something that is not a transcription (${JSON.stringify(shown.slice(0, 80))}). Check openai_stt_response_format and that the server speaks the OpenAI API.`,
      );
    }
    return text;
  }

  dispose(): void {
    this.disposed = true;
    for (const controller of this.controllers) controller.abort();
  }
}

/** The text of an answer: the body itself for `text`, its `text` field for `json` (sent as JSON or not). */
function transcriptText(answer: unknown, format: OpenAiSttSettings['openai_stt_response_format']): string | null {
  if (format === 'text') return typeof answer === 'string' ? answer.trim() : null;
  let parsed = answer;
  if (typeof answer === 'string') {
    try {
      parsed = JSON.parse(answer);
    } catch {
      return null;
    }
  }
  const text = (parsed as { text?: unknown } | null)?.text;
  return typeof text === 'string' ? text.trim() : null;
}
