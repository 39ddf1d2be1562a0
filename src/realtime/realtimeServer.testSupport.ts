/**
 * A local Realtime server for the tests, speaking the WebSocket protocol of the reference's
 * `speech-to-speech serve` (`GET /v1/realtime`, subprotocol `realtime`): session events, a server
 * VAD from the audio's energy, input transcription events, a response with its transcript and
 * PCM16 audio streamed in real time, cancellation when the user speaks over it, turn latency
 * metadata, and a 1008 close with `session_limit_reached` when it is full. It cannot understand
 * speech: the transcript it sends says how long the speech it heard was. Function calls: a typed
 * message with `[tool NAME {json}]`, where the session offers tools, is answered with a call of
 * NAME; the reply after its `function_call_output` says "The tool said: <output>.".
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';

export interface RealtimeServerOptions {
  /** Sessions at once (the reference's --num_pipelines); one more is refused with 1008. */
  readonly maxSessions: number;
  /** Seconds of audio in each reply. */
  readonly replySeconds: number;
  /** Closes the connection without a close frame after this much reply audio (ms), as a server that goes away. */
  readonly dropAfterAudioMs: number | null;
  /** Whether a session start answers at all (false: connections are refused, as a server that is down). */
  readonly accepting: boolean;
  /** Goes quiet after this much reply audio (ms), the socket left open: a server that is stuck mid-reply. */
  readonly stallAfterAudioMs?: number | null;
  /** False: the socket opens but the server never says the session is there (stuck while starting). */
  readonly greets?: boolean;
}

/** What one session received, for the tests to check. */
export interface SessionRecord {
  readonly protocols: readonly string[];
  /** The key the client sent (subprotocol `openai-insecure-api-key.<key>` or an Authorization header). */
  apiKey: string | null;
  instructions: string | null;
  voice: string | null;
  inputRate: number;
  outputRate: number;
  /** Client event types, in order. */
  readonly events: string[];
  /** Seconds of audio received. */
  secondsReceived: number;
  /** Each `conversation.item.truncate`'s audio_end_ms. */
  readonly truncations: number[];
  /** Responses, with how they ended. */
  readonly responses: { id: string; status: 'in_progress' | 'completed' | 'cancelled'; audioMs: number }[];
  /** The tools the session offered (their names, from session.update). */
  tools: string[];
  /** Each function_call_output the client sent. */
  readonly toolOutputs: { callId: string; output: string }[];
}

export interface RealtimeServer {
  /** ws://127.0.0.1:<port>/v1/realtime */
  readonly url: string;
  readonly sessions: SessionRecord[];
  options: RealtimeServerOptions;
  close(): Promise<void>;
}

const DEFAULTS: RealtimeServerOptions = { maxSessions: 1, replySeconds: 2, dropAfterAudioMs: null, accepting: true };
/** RMS above which a 20 ms frame counts as voiced. */
const VOICED_RMS = 0.01;
/** Voiced time before speech_started, and silence before speech_stopped (ms). */
const SPEECH_START_MS = 100;
const SPEECH_STOP_MS = 500;
/** Reply audio is sent in chunks of this many ms, paced in real time. */
const CHUNK_MS = 100;

type Send = (event: Record<string, unknown>) => void;

let counter = 0;
const nextId = (prefix: string) => `${prefix}_${++counter}`;

/** The reply's words: what a test can recognise, in sentences, long enough for `seconds` of audio. */
export function replyText(heardSeconds: number, seconds: number): string {
  const sentences = [`You spoke for ${heardSeconds.toFixed(1)} seconds.`];
  for (let n = 1; sentences.length < Math.max(1, Math.round(seconds / 2)); n++) sentences.push(`This is sentence ${n} of a long answer.`);
  return sentences.join(' ');
}

function pcm16Base64(samples: Float32Array): string {
  const bytes = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => bytes.writeInt16LE(Math.round(Math.max(-1, Math.min(1, sample)) * 32767), i * 2));
  return bytes.toString('base64');
}

class ServerSession {
  private voicedMs = 0;
  private silentMs = 0;
  private speaking = false;
  private speechStartMs = 0;
  private heardMs = 0;
  private itemId = '';
  private response: { id: string; itemId: string; timer: ReturnType<typeof setTimeout> | null; record: SessionRecord['responses'][number] } | null = null;
  private pending = new Float32Array(0);
  /** What the next response.create answers: a tool call the last message asked for, or a tool's output. */
  private next: { call: { name: string; arguments: string } } | { output: string } | null = null;

  constructor(
    private readonly record: SessionRecord,
    private readonly send: Send,
    private readonly options: () => RealtimeServerOptions,
    private readonly drop: () => void,
  ) {}

  onEvent(event: Record<string, unknown>): void {
    const type = String(event.type);
    this.record.events.push(type);
    switch (type) {
      case 'session.update':
        this.updateSession(event.session as Record<string, unknown>);
        return;
      case 'input_audio_buffer.append':
        this.onAudio(Buffer.from(String(event.audio), 'base64'));
        return;
      case 'conversation.item.truncate':
        this.record.truncations.push(Number(event.audio_end_ms));
        return;
      case 'response.cancel':
        this.cancel('client_cancelled');
        return;
      case 'conversation.item.create': {
        const item = event.item as { type?: string; role?: string; content?: { text?: string }[]; call_id?: string; output?: string };
        this.send({ type: 'conversation.item.created', item: { ...item, id: nextId('item') } });
        if (item.type === 'function_call_output') {
          this.record.toolOutputs.push({ callId: String(item.call_id), output: String(item.output) });
          this.next = { output: String(item.output) };
        }
        const asked = /\[tool ([a-z_]+)(?: (\{[^\]]*\}))?\]/.exec(item.content?.map((part) => part.text ?? '').join(' ') ?? '');
        if (item.role === 'user' && asked?.[1] && this.record.tools.includes(asked[1])) this.next = { call: { name: asked[1], arguments: asked[2] ?? '{}' } };
        return;
      }
      case 'response.create': {
        const next = this.next;
        this.next = null;
        if (next && 'call' in next) this.callTool(next.call);
        else this.respond(0, next ? `The tool said: ${next.output}.` : undefined);
        return;
      }
    }
  }

  close(): void {
    if (this.response?.timer) clearTimeout(this.response.timer);
    this.response = null;
  }

  private updateSession(session: Record<string, unknown>): void {
    const audio = (session.audio ?? {}) as { input?: { format?: { rate?: number } }; output?: { format?: { rate?: number }; voice?: string } };
    if (typeof session.instructions === 'string') this.record.instructions = session.instructions;
    if (audio.input?.format?.rate) this.record.inputRate = audio.input.format.rate;
    if (audio.output?.format?.rate) this.record.outputRate = audio.output.format.rate;
    if (audio.output?.voice) this.record.voice = audio.output.voice;
    if (Array.isArray(session.tools)) this.record.tools = (session.tools as { name?: string }[]).map((tool) => String(tool.name));
    if (this.options().greets !== false) this.send({ type: 'session.updated', session: { ...session, object: 'realtime.session', type: 'realtime' } });
  }

  private onAudio(bytes: Buffer): void {
    const samples = new Float32Array(bytes.length >> 1);
    for (let i = 0; i < samples.length; i++) samples[i] = bytes.readInt16LE(i * 2) / 32768;
    this.record.secondsReceived += samples.length / this.record.inputRate;
    const joined = new Float32Array(this.pending.length + samples.length);
    joined.set(this.pending);
    joined.set(samples, this.pending.length);
    const frame = Math.round(this.record.inputRate / 50);
    let offset = 0;
    for (; offset + frame <= joined.length; offset += frame) {
      let sum = 0;
      for (let i = offset; i < offset + frame; i++) sum += (joined[i] as number) ** 2;
      this.onFrame(Math.sqrt(sum / frame) > VOICED_RMS);
    }
    this.pending = joined.slice(offset);
  }

  /** One 20 ms frame of the server VAD. */
  private onFrame(voiced: boolean): void {
    const nowMs = Math.round(this.record.secondsReceived * 1000);
    if (voiced) {
      this.voicedMs += 20;
      this.silentMs = 0;
    } else {
      this.silentMs += 20;
      if (!this.speaking) this.voicedMs = 0;
    }
    if (!this.speaking && this.voicedMs >= SPEECH_START_MS) {
      this.speaking = true;
      this.speechStartMs = nowMs - this.voicedMs;
      this.itemId = nextId('item');
      this.send({ type: 'input_audio_buffer.speech_started', audio_start_ms: this.speechStartMs, item_id: this.itemId });
      // Barge-in is the server's: speech over a reply cancels it.
      this.cancel('turn_detected');
    } else if (this.speaking && this.silentMs >= SPEECH_STOP_MS) {
      this.speaking = false;
      this.voicedMs = 0;
      const endMs = nowMs - this.silentMs;
      this.heardMs = endMs - this.speechStartMs;
      this.send({ type: 'input_audio_buffer.speech_stopped', audio_end_ms: endMs, item_id: this.itemId });
      this.send({ type: 'input_audio_buffer.committed', item_id: this.itemId, previous_item_id: null });
      this.send({ type: 'conversation.item.created', item: { id: this.itemId, type: 'message', role: 'user', status: 'completed', content: [{ type: 'input_audio', transcript: null }] } });
      const words = `I spoke for ${(this.heardMs / 1000).toFixed(1)} seconds`.split(' ');
      words.forEach((word, i) => this.send({ type: 'conversation.item.input_audio_transcription.delta', item_id: this.itemId, content_index: 0, delta: i === 0 ? word : ` ${word}` }));
      this.send({ type: 'conversation.item.input_audio_transcription.completed', item_id: this.itemId, content_index: 0, transcript: `${words.join(' ')}.` });
      this.respond(this.heardMs / 1000);
    }
  }

  /** A response that is only a call of a tool (as a model answers when it needs one). */
  private callTool(call: { name: string; arguments: string }): void {
    this.cancel('client_cancelled');
    const id = nextId('resp');
    const item = { id: nextId('item'), type: 'function_call', status: 'completed', call_id: nextId('call'), name: call.name, arguments: call.arguments };
    this.record.responses.push({ id, status: 'completed', audioMs: 0 });
    this.send({ type: 'response.created', response: { id, object: 'realtime.response', status: 'in_progress', output: [] } });
    this.send({ type: 'response.output_item.added', response_id: id, output_index: 0, item: { ...item, status: 'in_progress', arguments: '' } });
    this.send({ type: 'response.function_call_arguments.delta', response_id: id, item_id: item.id, output_index: 0, call_id: item.call_id, delta: call.arguments });
    this.send({ type: 'response.function_call_arguments.done', response_id: id, item_id: item.id, output_index: 0, call_id: item.call_id, name: call.name, arguments: call.arguments });
    this.send({ type: 'response.output_item.done', response_id: id, output_index: 0, item });
    this.send({ type: 'response.done', response: { id, object: 'realtime.response', status: 'completed', output: [item], usage: null } });
  }

  private respond(heardSeconds: number, words?: string): void {
    this.cancel('client_cancelled');
    const { replySeconds, dropAfterAudioMs } = this.options();
    const id = nextId('resp');
    const itemId = nextId('item');
    const record = { id, status: 'in_progress' as const, audioMs: 0 };
    this.record.responses.push(record);
    this.response = { id, itemId, timer: null, record };
    this.send({ type: 'response.created', response: { id, object: 'realtime.response', status: 'in_progress', output: [] } });
    this.send({ type: 'response.output_item.added', response_id: id, output_index: 0, item: { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
    this.send({ type: 'conversation.item.created', item: { id: itemId, type: 'message', role: 'assistant', status: 'in_progress', content: [] } });
    this.send({ type: 'response.content_part.added', response_id: id, item_id: itemId, output_index: 0, content_index: 0, part: { type: 'output_audio', transcript: '' } });
    const text = words ?? replyText(heardSeconds, replySeconds);
    // Each sentence's words go out as its audio starts, as a server that speaks while it generates.
    const sentences = text.split(/(?<=\.) /);
    const rate = this.record.outputRate;
    const total = Math.round(replySeconds * 1000);
    const sentenceMs = total / sentences.length;
    let said = 0;
    const sendChunk = (fromMs: number) => {
      if (this.response?.id !== id) return;
      if (dropAfterAudioMs !== null && fromMs >= dropAfterAudioMs) {
        this.drop();
        return;
      }
      const stallAfter = this.options().stallAfterAudioMs;
      if (stallAfter !== undefined && stallAfter !== null && fromMs >= stallAfter) return;
      if (fromMs >= total) {
        this.finish(text);
        return;
      }
      for (; said < sentences.length && said * sentenceMs <= fromMs; said++) {
        this.send({ type: 'response.output_audio_transcript.delta', response_id: id, item_id: itemId, output_index: 0, content_index: 0, delta: said === 0 ? sentences[said] : ` ${sentences[said]}` });
      }
      const samples = new Float32Array(Math.round((rate * CHUNK_MS) / 1000));
      // A 220 Hz tone: audible, and easy to tell from silence.
      samples.forEach((_, i) => (samples[i] = 0.2 * Math.sin((2 * Math.PI * 220 * ((fromMs * rate) / 1000 + i)) / rate)));
      record.audioMs = fromMs + CHUNK_MS;
      this.send({ type: 'response.output_audio.delta', response_id: id, item_id: itemId, output_index: 0, content_index: 0, delta: pcm16Base64(samples) });
      this.response.timer = setTimeout(() => sendChunk(fromMs + CHUNK_MS), CHUNK_MS);
    };
    sendChunk(0);
  }

  private finish(text: string): void {
    const response = this.response;
    if (!response) return;
    this.response = null;
    response.record.status = 'completed';
    const { id, itemId } = response;
    this.send({ type: 'response.output_audio.done', response_id: id, item_id: itemId, output_index: 0, content_index: 0 });
    this.send({ type: 'response.output_audio_transcript.done', response_id: id, item_id: itemId, output_index: 0, content_index: 0, transcript: text });
    const latency = { version: 2, turn_id: itemId, turn_revision: 0, response_key: id, status: 'completed', stt_s: 0.12, llm_s: 0.34, tts_ttfa_s: 0.056, e2e_s: 0.61, vad_decision_s: 0.5, smart_wait_s: 0, smart_status: 'disabled', hold_s: 0 };
    this.send({
      type: 'response.done',
      response: {
        id,
        object: 'realtime.response',
        status: 'completed',
        output: [{ id: itemId, type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_audio', transcript: text }] }],
        metadata: { 'speech_to_speech.turn_latency': JSON.stringify(latency) },
        usage: null,
      },
    });
  }

  private cancel(reason: 'turn_detected' | 'client_cancelled'): void {
    const response = this.response;
    if (!response) return;
    if (response.timer) clearTimeout(response.timer);
    this.response = null;
    response.record.status = 'cancelled';
    this.send({ type: 'response.done', response: { id: response.id, object: 'realtime.response', status: 'cancelled', status_details: { type: 'cancelled', reason }, output: [] } });
  }
}

function offeredKey(request: IncomingMessage, protocols: readonly string[]): string | null {
  const fromProtocol = protocols.find((protocol) => protocol.startsWith('openai-insecure-api-key.'));
  if (fromProtocol) return fromProtocol.slice('openai-insecure-api-key.'.length);
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : null;
}

export async function startRealtimeServer(options: Partial<RealtimeServerOptions> = {}): Promise<RealtimeServer> {
  const http = createServer((_request, response) => response.writeHead(404).end());
  const sockets = new Set<WebSocket>();
  const server: RealtimeServer = {
    url: '',
    sessions: [],
    options: { ...DEFAULTS, ...options },
    close: async () => {
      for (const socket of sockets) socket.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      await new Promise<void>((resolve) => http.close(() => resolve()));
    },
  };
  const wss = new WebSocketServer({ noServer: true, handleProtocols: (protocols) => (protocols.has('realtime') ? 'realtime' : false) });
  http.on('upgrade', (request, socket, head) => {
    if (!server.options.accepting || !request.url?.startsWith('/v1/realtime')) {
      socket.destroy();
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  let active = 0;
  wss.on('connection', (ws: WebSocket, request: IncomingMessage) => {
    sockets.add(ws);
    const protocols = (request.headers['sec-websocket-protocol'] ?? '')
      .split(',')
      .map((protocol) => protocol.trim())
      .filter(Boolean);
    const send: Send = (event) => {
      if (ws.readyState === ws.OPEN) ws.send(JSON.stringify({ event_id: nextId('event'), ...event }));
    };
    if (active >= server.options.maxSessions) {
      send({ type: 'error', error: { type: 'server_error', code: 'session_limit_reached', message: 'All pipelines are busy; try again later.' } });
      ws.close(1008, 'session_limit_reached');
      return;
    }
    active++;
    const record: SessionRecord = { protocols, apiKey: offeredKey(request, protocols), instructions: null, voice: null, inputRate: 24_000, outputRate: 24_000, events: [], secondsReceived: 0, truncations: [], responses: [], tools: [], toolOutputs: [] };
    server.sessions.push(record);
    const session = new ServerSession(record, send, () => server.options, () => ws.terminate());
    ws.on('message', (data) => {
      try {
        session.onEvent(JSON.parse((data as Buffer).toString('utf8')) as Record<string, unknown>);
      } catch {
        send({ type: 'error', error: { type: 'invalid_request_error', code: 'invalid_json', message: 'The event is not JSON.' } });
      }
    });
    ws.on('close', () => {
      active--;
      sockets.delete(ws);
      session.close();
    });
    if (server.options.greets !== false) send({ type: 'session.created', session: { id: nextId('sess'), object: 'realtime.session', type: 'realtime', model: 'local', instructions: '' } });
  });
  await new Promise<void>((resolve) => http.listen(0, '127.0.0.1', resolve));
  const { port } = http.address() as AddressInfo;
  (server as { url: string }).url = `ws://127.0.0.1:${port}/v1/realtime`;
  return server;
}
