/**
 * An OpenAI-compatible endpoint, as the language model, speech-to-text and text-to-speech stages
 * each talk to one: the official SDK's client for it (the key goes to its base URL only), and one
 * way to say what went wrong, in a sentence that names the setting to check and never the key.
 */
import type OpenAI from 'openai';
// The errors alone (a few KB): the SDK itself loads with the first client, not with the page.
import { APIConnectionError, APIConnectionTimeoutError, APIError, APIUserAbortError } from 'openai/error';

export interface Endpoint {
  /** What the user calls it: "the language model server". */
  readonly name: string;
  readonly baseUrl: string;
  readonly apiKey: string | null;
  /** Without a key: send "none" (as the reference does for servers that need none), or no Authorization at all. */
  readonly keyless: 'none' | 'omit';
  readonly timeoutMs: number;
  /** The settings a failure points at. */
  readonly settings: {
    readonly url: string;
    readonly key: string;
    readonly model: string;
    /** What else a rejected request (HTTP 400, 422...) should make the user check. */
    readonly request?: string;
    readonly timeout?: string;
  };
}

/**
 * The SDK's telemetry headers, and its User-Agent (Chromium never sends a page's User-Agent, but
 * Firefox does). A browser asks the server to allow every such header first (a CORS preflight); a
 * server that allows only Authorization and Content-Type, as many local ones do, would refuse
 * every request. They are left out (a null header is one the SDK does not send).
 */
const TELEMETRY_HEADERS = [...['Lang', 'Package-Version', 'OS', 'Arch', 'Runtime', 'Runtime-Version', 'Retry-Count', 'Timeout'].map((name) => `X-Stainless-${name}`), 'User-Agent'];

/** The SDK client for the endpoint: no retries (a voice turn cannot wait for them), the endpoint's own timeout. */
export async function endpointClient(endpoint: Endpoint): Promise<OpenAI> {
  const { default: OpenAI } = await import('openai');
  const omitted = [...TELEMETRY_HEADERS, ...(endpoint.apiKey === null && endpoint.keyless === 'omit' ? ['Authorization'] : [])];
  return new OpenAI({
    baseURL: endpoint.baseUrl,
    apiKey: endpoint.apiKey ?? 'none',
    defaultHeaders: Object.fromEntries(omitted.map((name) => [name, null])),
    dangerouslyAllowBrowser: true,
    timeout: endpoint.timeoutMs,
    maxRetries: 0,
  });
}

/**
 * When a server that is rate-limiting says to try again (`Retry-After`, in seconds or as a
 * date), in words; null when it does not say, or its CORS policy hides the header.
 */
export function retryAfter(headers: Headers | undefined, now = Date.now()): string | null {
  const value = headers?.get('retry-after')?.trim();
  if (!value) return null;
  const seconds = /^\d+$/.test(value) ? Number(value) : Math.ceil((Date.parse(value) - now) / 1000);
  if (!Number.isFinite(seconds)) return null;
  if (seconds <= 1) return 'try again now';
  return seconds < 120 ? `try again in ${seconds} s` : `try again in ${Math.ceil(seconds / 60)} minutes`;
}

/** The sentence for a request that ran out of time. */
export function describeTimeout(endpoint: Endpoint): string {
  const raise = endpoint.settings.timeout ? `, or raise ${endpoint.settings.timeout}` : '';
  return `${endpoint.name} did not answer within ${endpoint.timeoutMs / 1000} s. Check it is running and not overloaded${raise}.`;
}

/** What an HTTP status from the endpoint means for the user. */
export function describeStatus(status: number, endpoint: Endpoint, headers?: Headers): string {
  const { name, settings } = endpoint;
  if (status === 401 || status === 403) return `${name} refused the request (HTTP ${status}): check ${settings.key}.`;
  if (status === 404) return `${name} has no such model or endpoint (HTTP 404): check ${settings.model} and ${settings.url} (it usually ends in /v1).`;
  if (status === 413) return `the request was too large for ${name} (HTTP 413): speak in shorter turns, or raise the server’s upload limit.`;
  if (status === 429) return `${name} is rate-limiting requests (HTTP 429): ${retryAfter(headers) ?? 'wait a moment'} and speak again.`;
  if (status >= 500) return `${name} failed (HTTP ${status}): check its logs, then speak again.`;
  return `${name} rejected the request (HTTP ${status})${settings.request ? `: check ${settings.request}` : ''}.`;
}

/** Any failure of a request to the endpoint, as a sentence. */
export function describeFailure(error: unknown, endpoint: Endpoint): string {
  if (error instanceof APIConnectionTimeoutError) return describeTimeout(endpoint);
  if (error instanceof APIConnectionError) {
    return `${endpoint.name} at ${endpoint.baseUrl} could not be reached. Check ${endpoint.settings.url}, that the server is running, and that it allows this page (CORS).`;
  }
  if (error instanceof APIError && typeof error.status === 'number') return describeStatus(error.status, endpoint, error.headers as Headers | undefined);
  // An error the server put inside its stream (it answered 200, then failed).
  if (error instanceof APIError && !(error instanceof APIUserAbortError)) return `${endpoint.name} reported an error mid-answer: ${error.message.replace(/\.$/, '')}. Speak again; if it repeats, check its logs.`;
  // A stream that is not the protocol (a line that is not JSON).
  if (error instanceof SyntaxError) return `${endpoint.name} sent an answer this page could not read (${error.message}). Check that ${endpoint.settings.url} is an OpenAI-compatible server.`;
  return error instanceof Error ? error.message : String(error);
}
