/**
 * A local stand-in for an OpenAI-compatible transcription server on 127.0.0.1: the real wire
 * protocol (CORS, multipart WAV upload, JSON answer or an error status), answering with how much
 * audio it received, so tests can check what the page sent.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeWav } from '../src/audio/wav';

export interface TranscriptionServer {
  readonly baseUrl: string;
  readonly origin: string;
  readonly requests: { authorization: string | undefined; model: string; seconds: number }[];
  /** The status to answer with: 200 (a transcript) or an error status. */
  status: number;
  close(): Promise<void>;
}

const CORS = {
  'Access-Control-Allow-Origin': '*',
  'Access-Control-Allow-Headers': 'authorization, content-type',
  'Access-Control-Allow-Methods': 'POST, OPTIONS',
};

export async function startTranscriptionServer(): Promise<TranscriptionServer> {
  const requests: TranscriptionServer['requests'] = [];
  const state = { status: 200 };
  const server: Server = createServer((request, response) => {
    if (request.method === 'OPTIONS') {
      response.writeHead(204, CORS).end();
      return;
    }
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      void (async () => {
        const form = await new Request('http://local/', { method: 'POST', headers: { 'content-type': request.headers['content-type'] ?? '' }, body: Buffer.concat(chunks) }).formData();
        const file = form.get('file') as File;
        const { samples, sampleRate } = decodeWav(new Uint8Array(await file.arrayBuffer()));
        const seconds = samples.length / sampleRate;
        requests.push({ authorization: request.headers.authorization, model: form.get('model') as string, seconds });
        if (state.status !== 200) {
          response.writeHead(state.status, { ...CORS, 'content-type': 'application/json' }).end('{"error": {"message": "refused"}}');
          return;
        }
        response.writeHead(200, { ...CORS, 'content-type': 'application/json' }).end(JSON.stringify({ text: `Heard ${seconds.toFixed(1)} seconds.` }));
      })();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl: `${origin}/v1`,
    origin,
    requests,
    get status() {
      return state.status;
    },
    set status(value: number) {
      state.status = value;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
