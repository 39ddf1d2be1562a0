/** Starts the OpenAI-compatible test server (both wire protocols) on 127.0.0.1 for a spec file. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { llmServerHandler, type RecordedRequest } from '../src/stages/llm/llmServer.testSupport';

export interface LlmServer {
  readonly baseUrl: string;
  readonly requests: RecordedRequest[];
  close(): Promise<void>;
}

export async function startLlmServer(): Promise<LlmServer> {
  const requests: RecordedRequest[] = [];
  const server = createServer(llmServerHandler(requests));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    requests,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
