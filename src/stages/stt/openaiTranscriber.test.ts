import type { IncomingMessage, ServerResponse } from 'node:http';
import { beforeEach, describe, expect, it } from 'vitest';
import { decodeWav } from '../../audio/wav';
import { defaultSettings } from '../../settings/schema';
import { OpenAiTranscriber, type OpenAiSttSettings } from './openaiTranscriber';
import type { TranscriberEvent, TurnAudio } from './transcriber';
import { localServer } from '../../localServer.testSupport';

/** What the test server received, and how it should answer the next request. */
interface Received {
  authorization: string | undefined;
  fields: Record<string, string>;
  audio: { sampleRate: number; samples: number };
}
let received: Received[] = [];
let answer: (request: Received, response: ServerResponse) => void;

async function readForm(request: IncomingMessage): Promise<FormData> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return new Request('http://test/', { method: 'POST', headers: { 'content-type': request.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) }).formData();
}

const server = localServer((request, response) => {
  void (async () => {
    if (request.url !== '/v1/audio/transcriptions' || request.method !== 'POST') {
      response.writeHead(404).end('{"error": "not found"}');
      return;
    }
    const form = await readForm(request);
    const file = form.get('file') as File;
    const wav = decodeWav(new Uint8Array(await file.arrayBuffer()));
    const fields: Record<string, string> = {};
    for (const [name, value] of form) if (typeof value === 'string') fields[name] = value;
    const entry = { authorization: request.headers.authorization, fields, audio: { sampleRate: wav.sampleRate, samples: wav.samples.length } };
    received.push(entry);
    answer(entry, response);
  })();
});
const base = () => `${server.origin}/v1`;

beforeEach(() => {
  received = [];
  answer = (_request, response) => response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ text: ' Hello there. ' }));
});

function settings(overrides: Partial<OpenAiSttSettings> = {}): OpenAiSttSettings {
  return { ...defaultSettings(), openai_stt_base_url: base(), ...overrides };
}

const request = (turn: number, revision: number, mode: 'partial' | 'final', seconds = 1): TurnAudio => ({ turn, revision, mode, audio: new Float32Array(16_000 * seconds).fill(0.1) });

/** Runs until `count` results (transcripts, drops, errors) have arrived. */
function collect(transcriber: (onEvent: (event: TranscriberEvent) => void) => OpenAiTranscriber, act: (t: OpenAiTranscriber) => void, count: number): Promise<TranscriberEvent[]> {
  return new Promise((resolve) => {
    const events: TranscriberEvent[] = [];
    const instance = transcriber((event) => {
      events.push(event);
      if (events.filter((e) => e.kind !== 'ready').length >= count) resolve(events);
    });
    act(instance);
  });
}

describe('OpenAiTranscriber against a local transcription server', () => {
  it('posts a 16 kHz mono WAV with model, response format, language and the key, and returns the text', async () => {
    const events = await collect((on) => new OpenAiTranscriber(settings({ openai_stt_api_key: 'sk-test', openai_stt_language: 'fr', openai_stt_model: 'whisper-1' }), on), (t) => t.transcribe(request(1, 0, 'final', 2)), 1);
    expect(received[0]).toEqual({ authorization: 'Bearer sk-test', fields: { model: 'whisper-1', response_format: 'json', language: 'fr' }, audio: { sampleRate: 16_000, samples: 32_000 } });
    expect(events[0]).toMatchObject({ kind: 'transcript', text: 'Hello there.', mode: 'final', language: 'fr', audioMs: 2000 });
  });

  it('sends no authorization without a key, and reads response_format text', async () => {
    answer = (_r, response) => response.writeHead(200, { 'content-type': 'text/plain' }).end('plain words\n');
    const events = await collect((on) => new OpenAiTranscriber(settings({ openai_stt_response_format: 'text' }), on), (t) => t.transcribe(request(1, 0, 'final')), 1);
    expect(received[0]?.authorization).toBeUndefined();
    expect(received[0]?.fields.response_format).toBe('text');
    expect(events[0]).toMatchObject({ kind: 'transcript', text: 'plain words' });
  });

  it.each([
    [401, 'check openai_stt_api_key'],
    [403, 'check openai_stt_api_key'],
    [413, 'too large'],
    [429, 'rate-limiting'],
    [500, 'HTTP 500'],
    [503, 'HTTP 503'],
  ])('turns HTTP %i into a message, drops the turn, and never shows the key', async (status, words) => {
    answer = (_r, response) => response.writeHead(status).end('{"error": {"message": "nope"}}');
    const events = await collect((on) => new OpenAiTranscriber(settings({ openai_stt_api_key: 'sk-secret-key' }), on), (t) => t.transcribe(request(1, 0, 'final')), 2);
    expect(events.map((event) => event.kind).sort()).toEqual(['dropped', 'error']);
    const error = events.find((event) => event.kind === 'error');
    expect(error && 'message' in error ? error.message : '').toContain(words);
    expect(JSON.stringify(events)).not.toContain('sk-secret-key');
  });

  it('explains a wrong base() URL (404), bad JSON, a timeout and an unreachable server', async () => {
    const cases: [Partial<OpenAiSttSettings>, ((r: Received, s: ServerResponse) => void) | null, string][] = [
      [{ openai_stt_base_url: `${base()}/wrong` }, null, 'HTTP 404'],
      [{}, (_r, s) => s.writeHead(200).end('<html>oops</html>'), 'not a transcription'],
      [{ openai_stt_timeout: 1 }, () => undefined, 'did not answer within 1 s'],
      // Headers at once, then a body that never ends: the time limit covers the whole answer.
      [{ openai_stt_timeout: 1 }, (_r, s) => s.writeHead(200, { 'content-type': 'application/json' }).write('{"text": "Hel'), 'did not answer within 1 s'],
      [{}, (_r, s) => s.writeHead(429, { 'content-type': 'application/json', 'retry-after': '30' }).end('{"error": {"message": "slow down"}}'), 'rate-limiting requests (HTTP 429): try again in 30 s'],
      [{ openai_stt_base_url: 'http://127.0.0.1:1/v1' }, null, 'could not be reached'],
    ];
    for (const [overrides, reply, words] of cases) {
      if (reply) answer = reply;
      const events = await collect((on) => new OpenAiTranscriber(settings(overrides), on), (t) => t.transcribe(request(1, 0, 'final')), 2);
      const error = events.find((event) => event.kind === 'error');
      expect(error && 'message' in error ? error.message : '').toContain(words);
    }
  });

  it('keeps at most one partial in flight and only the newest waiting; finals go at once', async () => {
    const pending: ServerResponse[] = [];
    answer = (_r, response) => pending.push(response);
    const events: TranscriberEvent[] = [];
    const transcriber = new OpenAiTranscriber(settings(), (event) => events.push(event));
    const first = request(1, 0, 'partial');
    const second = request(1, 0, 'partial');
    const third = request(1, 0, 'partial');
    transcriber.transcribe(first);
    transcriber.transcribe(second);
    transcriber.transcribe(third);
    await expect.poll(() => received.length).toBe(1);
    expect(events).toEqual([{ kind: 'dropped', turn: 1, revision: 0, mode: 'partial' }]);
    const final = request(2, 0, 'final');
    transcriber.transcribe(final);
    await expect.poll(() => received.length).toBe(2);
    for (const response of pending.splice(0)) response.writeHead(200).end('{"text": "x"}');
    await expect.poll(() => received.length).toBe(3);
    pending.splice(0).forEach((response) => response.writeHead(200).end('{"text": "y"}'));
    await expect.poll(() => events.filter((event) => event.kind === 'transcript').length).toBe(3);
  });

  it('drops a partial whose turn reached its final, and a final of a superseded revision', async () => {
    const pending: ServerResponse[] = [];
    answer = (_r, response) => pending.push(response);
    const events: TranscriberEvent[] = [];
    const transcriber = new OpenAiTranscriber(settings(), (event) => events.push(event));
    const partial = request(1, 0, 'partial');
    const oldFinal = request(1, 0, 'final');
    transcriber.transcribe(partial);
    transcriber.transcribe(oldFinal);
    const reopened = request(1, 1, 'partial');
    transcriber.transcribe(reopened);
    // The reopened partial waits for the partial in flight.
    await expect.poll(() => pending.length).toBe(2);
    pending.splice(0).forEach((response) => response.writeHead(200).end('{"text": "late"}'));
    await expect.poll(() => pending.length).toBe(1);
    pending.splice(0).forEach((response) => response.writeHead(200).end('{"text": "new"}'));
    await expect.poll(() => events.length).toBe(3);
    expect(events.filter((event) => event.kind === 'dropped').map((event) => ('mode' in event ? `${event.revision} ${event.mode}` : ''))).toEqual(['0 partial', '0 final']);
    expect(events.find((event) => event.kind === 'transcript')).toMatchObject({ revision: 1, mode: 'partial', text: 'new' });
  });

  it('warms up with 1 s of silence and says when the server is not there', async () => {
    const events: TranscriberEvent[] = [];
    await new OpenAiTranscriber(settings(), (event) => events.push(event)).warmUp();
    expect(received[0]?.audio.samples).toBe(16_000);
    expect(events[0]).toMatchObject({ kind: 'ready' });
    const failures: TranscriberEvent[] = [];
    await new OpenAiTranscriber(settings({ openai_stt_base_url: 'http://127.0.0.1:1/v1' }), (event) => failures.push(event)).warmUp();
    expect(failures[0]).toMatchObject({ kind: 'error', fatal: false, message: expect.stringContaining('Speech to text is not ready') as string });
  });
});
