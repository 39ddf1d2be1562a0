/**
 * One session with a Realtime server (the reference's `speech-to-speech serve`, or any
 * OpenAI-Realtime-compatible endpoint) through the stock `RealtimeSession` of the OpenAI Agents
 * SDK, over its own WebSocket or WebRTC transport: the client the reference's own tests run its
 * server against, so the wire protocol is the SDK's, not this page's. This class adds what the
 * reference's `talk` client does around it: waiting for a server that is not up yet (for
 * `connection_retry_timeout` seconds, with a countdown), and telling apart the ways a session
 * ends (the server full, the connection dropped). The SDK is loaded only when a call opens.
 */
import { hostOf } from '../settings/keyBinding';
import { fromPcm16, toPcm16 } from './pcm16';

export interface RealtimeCallSettings {
  readonly url: string;
  readonly transport: 'websocket' | 'webrtc';
  readonly model: string;
  /** Null: none entered; the server gets no key (the SDK's placeholder stays in the page). */
  readonly apiKey: string | null;
  readonly voice: string | null;
  readonly instructions: string;
  readonly sendRate: number;
  readonly recvRate: number;
  readonly retryTimeoutS: number;
  /** The tools offered to the server's model (the page runs each call, asking the user first where it must). */
  readonly tools?: CallTools | null;
}

/** The page's tools as a call runs them (the pipeline's tool runner). */
export interface CallTools {
  readonly specs: readonly { readonly name: string; readonly description: string; readonly parameters: Readonly<Record<string, unknown>> }[];
  run(call: { readonly id: string; readonly name: string; readonly arguments: string }, signal: AbortSignal): Promise<string>;
}

/** A server event as it came, by its `type`. */
export interface ServerEvent {
  readonly type: string;
  readonly [field: string]: unknown;
}

export type CallEnd = 'full' | 'dropped' | 'unreachable' | 'error';

export type RealtimeCallEvent =
  /** The server cannot be reached yet: trying again until the countdown ends. */
  | { readonly kind: 'waiting'; readonly secondsLeft: number; readonly reason: string }
  | { readonly kind: 'server'; readonly event: ServerEvent }
  /** Reply audio at the receive rate (WebSocket only: WebRTC plays it by itself). */
  | { readonly kind: 'audio'; readonly samples: Float32Array; readonly responseId: string }
  /** The server stopped the reply (the user spoke): what is queued must go silent now. */
  | { readonly kind: 'interrupted' }
  /** The session is over, without Stop: why, in words. */
  | { readonly kind: 'ended'; readonly reason: CallEnd; readonly message: string };

export interface RealtimeCallPorts {
  /** Opens a WebSocket (the browser's; a test may pass another implementation). */
  readonly createWebSocket: (url: string, protocols: string[]) => WebSocket;
  /** For WebRTC: the microphone to send, and the element the reply plays through. */
  readonly webRtc?: { readonly mediaStream: MediaStream; readonly audioElement: HTMLAudioElement };
}

/** The longest one connection attempt may take before it counts as failed (a host that never answers). */
const ATTEMPT_BOUND_MS = 10_000;
/** The pause between attempts while waiting for the server. */
const RETRY_PAUSE_MS = 1_000;
/** WebSocket close code and error code of a server with every pipeline busy. */
const POLICY_VIOLATION = 1008;
const SESSION_LIMIT = 'session_limit_reached';
/** The key the SDK needs to hold when the user entered none; it is never sent over a WebSocket. */
const NO_KEY = 'local';

type Sdk = typeof import('@openai/agents-realtime');
type SessionOf = InstanceType<Sdk['RealtimeSession']>;
type SdkWebSocket = Awaited<ReturnType<NonNullable<NonNullable<ConstructorParameters<Sdk['OpenAIRealtimeWebSocket']>[0]>['createWebSocket']>>>;

/** The WebRTC handshake address of a Realtime WebSocket URL (ws://host/v1/realtime -> http://host/v1/realtime/calls). */
export function callsUrl(url: string): string {
  const parsed = new URL(url);
  parsed.protocol = parsed.protocol === 'wss:' ? 'https:' : 'http:';
  parsed.pathname = `${parsed.pathname.replace(/\/+$/, '')}/calls`;
  parsed.search = '';
  return parsed.href;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal.addEventListener('abort', done, { once: true });
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
  });
}

/** Rejects once `signal` aborts: Stop ends a connection attempt under way, not only the wait between two. */
function untilAborted(signal: AbortSignal): Promise<never> {
  return new Promise((_, reject) => {
    if (signal.aborted) reject(signal.reason as Error);
    else signal.addEventListener('abort', () => reject(signal.reason as Error), { once: true });
  });
}

/** The characters a WebSocket subprotocol (an RFC 7230 token) may hold: the key travels as one. */
const SUBPROTOCOL_TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

/** Why a key cannot be sent, in words that never repeat it; null when it can. */
export function keyProblem(apiKey: string | null, transport: RealtimeCallSettings['transport']): string | null {
  if (apiKey === null || transport !== 'websocket' || SUBPROTOCOL_TOKEN.test(apiKey)) return null;
  return 'talk_api_key has characters a WebSocket cannot carry (a space, a quote, a line break or a letter outside ASCII): check it was pasted whole and alone. It was not sent.';
}

function bounded<T>(promise: Promise<T>, ms: number, message: string): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(message)), ms)));
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export class RealtimeCall {
  private closing = false;
  private ended = false;

  private constructor(
    private readonly session: SessionOf,
    private readonly onEvent: (event: RealtimeCallEvent) => void,
    /** WebRTC sends the microphone as a media track: no audio goes over events then. */
    private readonly mediaTrack: boolean,
    private readonly toolsStopped: AbortController,
  ) {}

  /**
   * Connects, waiting up to `retryTimeoutS` for a server that cannot be reached yet. Rejects
   * with a sentence that says what happened and what to do (the server full, not reachable);
   * `signal` (Stop) ends the wait at once.
   */
  static async open(settings: RealtimeCallSettings, ports: RealtimeCallPorts, onEvent: (event: RealtimeCallEvent) => void, signal: AbortSignal): Promise<RealtimeCall> {
    // Zod (the SDK's schemas) probes for eval unless told not to, which the page's policy reports as a violation.
    let sdk: Sdk;
    try {
      const { config } = await import('zod');
      config({ jitless: true });
      sdk = await import('@openai/agents-realtime');
    } catch (error) {
      throw new Error(`The Realtime client could not be loaded (${error instanceof Error ? error.message : String(error)}). Check the connection, reload the page and try again.`, { cause: error });
    }
    const unsendable = keyProblem(settings.apiKey, settings.transport);
    if (unsendable) throw new Error(unsendable);
    // Whatever a browser or the server says, the key is never repeated in a message.
    const scrub = (text: string) => (settings.apiKey ? text.split(settings.apiKey).join('…') : text);
    const deadline = Date.now() + settings.retryTimeoutS * 1000;
    const host = hostOf(settings.url);
    const stopped = untilAborted(signal);
    stopped.catch(() => undefined);
    for (;;) {
      signal.throwIfAborted();
      const attempt = RealtimeCall.attempt(sdk, settings, ports, onEvent);
      try {
        await bounded(Promise.race([attempt.connected, stopped]), Math.max(1000, Math.min(ATTEMPT_BOUND_MS, deadline - Date.now())), `the server at ${host} did not answer`);
        signal.throwIfAborted();
        return attempt.call;
      } catch (error) {
        attempt.call.close();
        signal.throwIfAborted();
        if (attempt.full()) throw new ServerFullError(fullMessage(host), { cause: error });
        // A socket that fails to open rejects with a bare Event, which says nothing more.
        const reason = scrub(error instanceof Error ? error.message : 'the connection was refused or closed');
        if (Date.now() >= deadline) {
          throw new Error(
            `The Realtime server at ${host} could not be reached${settings.retryTimeoutS > 0 ? ` in ${settings.retryTimeoutS} s` : ''} (${reason}). Check that speech-to-speech serve runs there and the URL is right, then press Reconnect.`,
            { cause: error },
          );
        }
        // The reference's client waits for a server that is still starting: so does the page, counting down.
        const left = deadline - Date.now();
        onEvent({ kind: 'waiting', secondsLeft: Math.ceil(left / 1000), reason });
        await sleep(Math.min(RETRY_PAUSE_MS, left), signal);
      }
    }
  }

  /** One connection attempt: the session, and whether the server said it is full. */
  private static attempt(sdk: Sdk, settings: RealtimeCallSettings, ports: RealtimeCallPorts, onEvent: (event: RealtimeCallEvent) => void) {
    let closedWith: { code: number; reason: string } | null = null;
    /** Aborted when the call ends: a tool still running (or waiting for the user) stops. */
    const toolsStopped = new AbortController();
    let limitReached = false;
    const transport =
      settings.transport === 'webrtc'
        ? new sdk.OpenAIRealtimeWebRTC({
            baseUrl: callsUrl(settings.url),
            useInsecureApiKey: true,
            ...(ports.webRtc ? { mediaStream: ports.webRtc.mediaStream, audioElement: ports.webRtc.audioElement } : {}),
          })
        : new sdk.OpenAIRealtimeWebSocket({
            url: settings.url,
            useInsecureApiKey: true,
            // The page opens the socket itself: the key goes out only when the user gave one, and the close code tells a full server from a lost one.
            createWebSocket: ({ url }) => {
              const protocols = ['realtime', ...(settings.apiKey ? [`openai-insecure-api-key.${settings.apiKey}`] : [])];
              const socket = ports.createWebSocket(url, protocols);
              socket.addEventListener('close', (event) => (closedWith = { code: event.code, reason: event.reason }));
              // The SDK types its socket as the `ws` package's; it uses only what the browser's WebSocket has.
              return Promise.resolve(socket as unknown as SdkWebSocket);
            },
          });
    // Tools go to the server in session.update; the SDK answers each function call with its output and asks for the reply that uses it.
    const tools = (settings.tools?.specs ?? []).map((spec) =>
      sdk.tool({
        name: spec.name,
        description: spec.description,
        parameters: spec.parameters as never,
        strict: false,
        execute: (input: unknown, _context: unknown, details?: { toolCall?: { callId?: string } }) =>
          settings.tools?.run({ id: details?.toolCall?.callId ?? spec.name, name: spec.name, arguments: typeof input === 'string' ? input : JSON.stringify(input ?? {}) }, toolsStopped.signal) ?? '',
      }),
    );
    const agent = new sdk.RealtimeAgent({ name: 'speech-to-speech', instructions: settings.instructions, tools, ...(settings.voice ? { voice: settings.voice } : {}) });
    const session = new sdk.RealtimeSession(agent, {
      transport,
      model: settings.model,
      tracingDisabled: true,
      historyStoreAudio: false,
      config: {
        outputModalities: ['audio'],
        audio: {
          input: { format: { type: 'audio/pcm', rate: settings.sendRate }, turnDetection: { type: 'server_vad', interruptResponse: true } },
          output: { format: { type: 'audio/pcm', rate: settings.recvRate }, ...(settings.voice ? { voice: settings.voice } : {}) },
        },
      },
    });
    const call = new RealtimeCall(session, onEvent, settings.transport === 'webrtc', toolsStopped);
    // The session is open once the server has said so (session.created); a full server says error, then closes.
    let greeted: () => void = () => undefined;
    let refused: (error: Error) => void = () => undefined;
    const greeting = new Promise<void>((resolve, reject) => {
      greeted = resolve;
      refused = reject;
    });
    session.on('transport_event', (event) => {
      const server = event as ServerEvent;
      if (server.type === 'session.created' || server.type === 'session.updated') greeted();
      if (server.type === 'error' && (server.error as { code?: string } | undefined)?.code === SESSION_LIMIT) {
        limitReached = true;
        refused(new Error(SESSION_LIMIT));
      }
      if (typeof server.type === 'string' && !server.type.startsWith('connection') && server.type !== 'audio') onEvent({ kind: 'server', event: server });
    });
    // Errors the SDK reports (a failed send, a socket error): the transport's events say the rest.
    session.on('error', () => undefined);
    session.on('audio', (event) => onEvent({ kind: 'audio', samples: fromPcm16(event.data), responseId: event.responseId ?? '' }));
    session.on('audio_interrupted', () => onEvent({ kind: 'interrupted' }));
    const connected = session.connect({ apiKey: settings.apiKey ?? NO_KEY, url: settings.transport === 'webrtc' ? callsUrl(settings.url) : settings.url }).then(async () => {
      session.transport.on('connection_change', (status) => {
        if (status !== 'disconnected') return;
        refused(new Error('the server closed the connection'));
        const full = limitReached || (closedWith as { code: number } | null)?.code === POLICY_VIOLATION;
        call.end(full ? 'full' : 'dropped', full ? fullMessage(hostOf(settings.url)) : `The connection to ${hostOf(settings.url)} was lost. What you heard is kept; press Reconnect to go on.`);
      });
      await greeting;
    });
    return { call, connected, full: () => limitReached || (closedWith as { code: number } | null)?.code === POLICY_VIOLATION };
  }

  /** Microphone audio at the send rate (over WebSocket; WebRTC has the microphone's track). */
  sendAudio(samples: Float32Array): void {
    if (this.closing || this.ended || this.mediaTrack) return;
    this.session.sendAudio(toPcm16(samples));
  }

  /** A typed message, answered like a spoken turn. */
  sendText(text: string): void {
    if (this.closing || this.ended) return;
    this.session.sendMessage(text);
  }

  /** Ends the session (Stop); no `ended` event follows. */
  close(): void {
    this.closing = true;
    this.toolsStopped.abort(new Error('the session ended'));
    try {
      this.session.close();
    } catch {
      // Already closed.
    }
  }

  private end(reason: CallEnd, message: string): void {
    if (this.closing || this.ended) return;
    this.ended = true;
    this.toolsStopped.abort(new Error('the session ended'));
    this.onEvent({ kind: 'ended', reason, message });
  }
}

/** The server runs as many sessions as it can: it refused this one (`session_limit_reached`). */
export class ServerFullError extends Error {}

function fullMessage(host: string): string {
  return `The Realtime server at ${host} is full: every pipeline it runs is in a conversation (session_limit_reached). Try again in a while, or ask whoever runs it for more pipelines (--num_pipelines).`;
}
