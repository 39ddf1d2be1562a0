/**
 * An OpenAI-compatible server for tests, on 127.0.0.1: `POST /v1/chat/completions` (SSE chunks or
 * one JSON answer) and `POST /v1/responses` (streaming events or one response), as real servers
 * send them, reasoning and usage included. What it does is chosen by markers in the last user
 * message, so a test (or a user typing in the built page) can ask for each case:
 *
 * - `[think]`: reasoning first (reasoning fields and events, and a <think> block in the text);
 * - `[status 429]`: that HTTP status with an error body; `[retry 7]` adds `Retry-After: 7`;
 * - `[html 502]`: that status with a web page for a body (a proxy's error page);
 * - `[cut]`: a few deltas, then the connection is dropped;
 * - `[stall]`: headers, then nothing (a model that never produces a first token);
 * - `[stall after]`: a few deltas, then nothing, the connection left open;
 * - `[malformed]`: a few deltas, then an event whose data is not JSON;
 * - `[error event]`: a few deltas, then an error inside the stream (as servers report a failure mid-reply);
 * - `[failed]`: Responses `response.failed` event;
 * - `[slow]`: 150 ms between deltas instead of 10; `[nopause]`: none at all;
 * - `[long]`: the reply two hundred times over;
 * - `[code]`: the reply with a fenced code block after it;
 * - `[no tools]` in a request that offers tools: 400, as a server without a tool parser answers.
 * - `[tool NAME]` in a request that offers tools: "Let me check." and a call of
 *   NAME with `{"from": "test"}` (streamed in pieces), or with the JSON object written after the
 *   name (`[tool set_timer {"duration_seconds": 2}]`); a question about the weather, where
 *   get_weather is offered, calls it for Paris, and one about a timer, where set_timer is
 *   offered, sets one for ten minutes (a spoken question cannot carry the marker); the request after the tool's answer gets
 *   "The tool said: <answer>." Each new user message calls again.
 *
 * A compaction request (the compaction system prompt) gets a JSON summary. Anything else gets
 * `replyTo(text)`, streamed a few characters at a time. `POST /v1/audio/speech` answers with
 * 24 kHz pcm: a 100 ms tone per word of the input; its input's `[status N]`, `[stall]` (headers,
 * then a body that never ends) and `[html]` (a web page with 200) do as above.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';

export interface RecordedRequest {
  readonly path: string;
  readonly authorization: string | undefined;
  readonly body: Record<string, unknown>;
}

/** The reply the server gives to a user message: four sentences with markdown, a number and an abbreviation. */
export function replyTo(text: string): string {
  const said = text.replace(/\[[a-z0-9_ ]+\]|\[tool [a-z_]+ \{[^\]]*\}\]/g, '').trim().replace(/[.?!]+$/, '');
  // `[code]`: a fenced code block after it.
  const code = text.includes('[code]') ? '\n\n```js\nconst moons = 2;\n```' : '';
  return `You said: ${said}. Dr. Smith paid $3.50 for **two** tickets. Here is why:\n\n- It rained.\n- It was *late*. That is all!${code}`;
}

export const COMPACTION_ANSWER = { user_summary: 'The user talked about tickets.', assistant_summary: 'The assistant explained the prices.' };

const REASONING = 'The user wants an answer. Let me think.';

interface Message {
  readonly role: string;
  readonly content: unknown;
}

function lastUserText(messages: readonly Message[]): string {
  // The language prompt follows the user's message; the reply is to the message.
  const last = messages.findLast((message) => message.role === 'user' && !(typeof message.content === 'string' && message.content.startsWith('Please reply to my message in')));
  if (!last) return '';
  if (typeof last.content === 'string') return last.content;
  return Array.isArray(last.content) ? last.content.map((part: { text?: string }) => part.text ?? '').join(' ') : '';
}

function pieces(text: string, size = 3): string[] {
  const out: string[] = [];
  for (let index = 0; index < text.length; index += size) out.push(text.slice(index, index + size));
  return out;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

function readBody(request: IncomingMessage): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const parts: Buffer[] = [];
    request.on('data', (part: Buffer) => parts.push(part));
    request.on('end', () => {
      try {
        resolve(JSON.parse(Buffer.concat(parts).toString() || '{}') as Record<string, unknown>);
      } catch {
        resolve({});
      }
    });
  });
}

const CORS = {
  'access-control-allow-origin': '*',
  // As strict as many local servers: the page must send no other header.
  'access-control-allow-headers': 'authorization, content-type',
  'access-control-allow-methods': 'POST, OPTIONS',
  'access-control-expose-headers': 'retry-after',
};

const ERROR_PAGE = '<!DOCTYPE html><html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';

/** The scripted HTTP failures of a request: a status with a JSON error or a web page. True when it answered. */
function scriptedFailure(text: string, response: ServerResponse): boolean {
  const html = /\[html (\d{3})\]/.exec(text);
  if (html) {
    response.writeHead(Number(html[1]), { ...CORS, 'content-type': 'text/html' }).end(ERROR_PAGE);
    return true;
  }
  const status = /\[status (\d{3})\]/.exec(text);
  if (!status) return false;
  const retry = /\[retry (\d+)\]/.exec(text);
  response.writeHead(Number(status[1]), { ...CORS, 'content-type': 'application/json', ...(retry ? { 'retry-after': retry[1] } : {}) }).end(JSON.stringify({ error: { message: `scripted ${status[1]}`, type: 'test' } }));
  return true;
}

/** The request handler; every request is appended to `log`. */
export function llmServerHandler(log: RecordedRequest[] = []): RequestListener {
  return (request, response) => {
    if (request.method === 'OPTIONS') {
      response.writeHead(204, CORS).end();
      return;
    }
    void readBody(request).then(async (body) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      log.push({ path, authorization: request.headers.authorization, body });
      if (path.endsWith('/audio/speech')) {
        const input = String(body.input);
        if (scriptedFailure(input, response)) return;
        if (input.includes('[stall]')) {
          response.writeHead(200, { ...CORS, 'content-type': 'audio/pcm' });
          response.write(Buffer.alloc(480));
          return;
        }
        if (input.includes('[html]')) {
          response.writeHead(200, { ...CORS, 'content-type': 'text/html' }).end(ERROR_PAGE);
          return;
        }
        speech(input, response);
        return;
      }
      const messages = (path.endsWith('/responses') ? body.input : body.messages) as Message[] | undefined;
      if (!messages || (!path.endsWith('/chat/completions') && !path.endsWith('/responses'))) {
        response.writeHead(404, { ...CORS, 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: 'Not found' } }));
        return;
      }
      const text = lastUserText(messages);
      if (scriptedFailure(text, response)) return;
      if (text.includes('[no tools]') && Array.isArray(body.tools)) {
        // As vLLM answers when it was started without a tool parser.
        response.writeHead(400, { ...CORS, 'content-type': 'application/json' }).end(JSON.stringify({ error: { message: '"auto" tool choice requires --enable-auto-tool-choice and --tool-call-parser to be set', type: 'BadRequestError' } }));
        return;
      }
      const compaction = messages.some((message) => message.role === 'system' && typeof message.content === 'string' && message.content.startsWith('You are a conversation memory compressor'));
      const last = messages.at(-1);
      // Chat Completions answers a call with a `tool` message, Responses with a `function_call_output` item.
      const answered = last as { role?: string; content?: unknown; type?: string; output?: unknown } | undefined;
      const toolAnswer = answered?.role === 'tool' ? String(answered.content) : answered?.type === 'function_call_output' ? String(answered.output) : null;
      const offered = Array.isArray(body.tools) ? (body.tools as { name?: string; function?: { name?: string } }[]).map((tool) => tool.function?.name ?? tool.name) : [];
      // A spoken question cannot say `[tool …]`: asked about the weather with get_weather offered, the model calls it.
      const spokenAsk =
        offered.includes('get_weather') && /\bweather\b/i.test(text)
          ? (['', 'get_weather', '{"city": "Paris"}'] as const)
          : offered.includes('set_timer') && /\btimer\b/i.test(text)
            ? (['', 'set_timer', '{"duration_seconds": 600, "label": "timer"}'] as const)
            : null;
      const toolAsked = offered.length > 0 && toolAnswer === null ? (/\[tool ([a-z_]+)(?: (\{[^\]]*\}))?\]/.exec(text) ?? spokenAsk) : null;
      const toolName = toolAsked?.[1] ?? null;
      const reply = compaction
        ? JSON.stringify(COMPACTION_ANSWER)
        : toolAnswer !== null
          ? `The tool said: ${toolAnswer}.`
          : toolName
            ? 'Let me check.'
            : text.includes('[long]')
              ? Array.from({ length: 200 }, () => replyTo(text)).join(' ')
              : replyTo(text);
      const script: Script = {
        reply,
        think: text.includes('[think]'),
        cut: text.includes('[cut]'),
        stall: text.includes('[stall]') && !text.includes('[stall after]'),
        stallAfter: text.includes('[stall after]'),
        malformed: text.includes('[malformed]'),
        errorEvent: text.includes('[error event]'),
        failed: text.includes('[failed]'),
        pauseMs: text.includes('[slow]') ? 150 : text.includes('[nopause]') ? 0 : 10,
        toolCall: toolName ? { name: toolName, arguments: toolAsked?.[2] ?? '{"from": "test"}' } : null,
      };
      if (path.endsWith('/chat/completions')) await chatCompletions(body.stream === true, script, response);
      else await responses(body.stream === true, script, response);
    });
  };
}

function speech(input: string, response: ServerResponse): void {
  const samples = input.split(/\s+/).filter(Boolean).length * 2400;
  const pcm = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i++) pcm.writeInt16LE(Math.round(Math.sin(i / 6) * 12_000), i * 2);
  response.writeHead(200, { ...CORS, 'content-type': 'audio/pcm' }).end(pcm);
}

interface Script {
  readonly reply: string;
  readonly think: boolean;
  readonly cut: boolean;
  readonly stall: boolean;
  readonly stallAfter: boolean;
  readonly malformed: boolean;
  readonly errorEvent: boolean;
  readonly failed: boolean;
  readonly pauseMs: number;
  /** A tool the reply calls after its text. */
  readonly toolCall: { readonly name: string; readonly arguments: string } | null;
}

const usage = { prompt_tokens: 12, completion_tokens: 34, total_tokens: 46 };

/** `[stall after]`, `[malformed]`, `[error event]` once a few deltas are out: true when the stream stops there. */
function midStreamFault(script: Script, response: ServerResponse, error: Record<string, unknown>, event?: string): boolean {
  if (script.stallAfter) return true;
  const prefix = event ? `event: ${event}\n` : '';
  if (script.malformed) {
    response.end(`${prefix.replace('error', 'response.output_text.delta')}data: {"choices": [{"delta": {"content": "oops"\n\n`);
    return true;
  }
  if (script.errorEvent) {
    response.end(`${prefix}data: ${JSON.stringify(error)}\n\n`);
    return true;
  }
  return false;
}

async function chatCompletions(stream: boolean, script: Script, response: ServerResponse): Promise<void> {
  const content = (script.think ? `<think>${REASONING}</think>` : '') + script.reply;
  if (!stream) {
    response.writeHead(200, { ...CORS, 'content-type': 'application/json' });
    const calls = script.toolCall ? { tool_calls: [{ id: 'call_1', type: 'function', function: script.toolCall }] } : {};
    const message = { role: 'assistant', content, ...(script.think ? { reasoning_content: REASONING } : {}), ...calls };
    response.end(JSON.stringify({ id: 'c1', object: 'chat.completion', created: 1, model: 'test', choices: [{ index: 0, message, finish_reason: script.toolCall ? 'tool_calls' : 'stop' }], usage }));
    return;
  }
  response.writeHead(200, { ...CORS, 'content-type': 'text/event-stream' });
  const send = (delta: Record<string, unknown>, finish: string | null = null) =>
    response.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'test', choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`);
  if (script.stall) return;
  send({ role: 'assistant', content: '' });
  if (script.think) for (const piece of pieces(REASONING, 8)) send({ reasoning_content: piece });
  const deltas = pieces(content);
  for (const [index, piece] of deltas.entries()) {
    if (response.destroyed) return;
    if (script.cut && index === 12) {
      response.destroy();
      return;
    }
    if (index === 12 && midStreamFault(script, response, { error: { message: 'scripted failure mid-stream', type: 'server_error', code: 'server_error' } })) return;
    send({ content: piece });
    if (script.pauseMs > 0) await sleep(script.pauseMs);
  }
  if (script.toolCall) {
    send({ tool_calls: [{ index: 0, id: 'call_1', type: 'function', function: { name: script.toolCall.name, arguments: '' } }] });
    for (const piece of pieces(script.toolCall.arguments, 5)) send({ tool_calls: [{ index: 0, function: { arguments: piece } }] });
  }
  send({}, script.toolCall ? 'tool_calls' : 'stop');
  // A usage chunk has no choices, as servers send it.
  response.write(`data: ${JSON.stringify({ id: 'c1', object: 'chat.completion.chunk', created: 1, model: 'test', choices: [], usage })}\n\n`);
  response.end('data: [DONE]\n\n');
}

async function responses(stream: boolean, script: Script, response: ServerResponse): Promise<void> {
  const content = (script.think ? `<think>${REASONING}</think>` : '') + script.reply;
  const message = { id: 'msg_1', type: 'message', role: 'assistant', status: 'completed', content: [{ type: 'output_text', text: content, annotations: [] }] };
  const reasoning = { id: 'rs_1', type: 'reasoning', summary: [{ type: 'summary_text', text: REASONING }] };
  const whole = (status: string, output: unknown[]) => ({
    id: 'resp_1',
    object: 'response',
    created_at: 1,
    model: 'test',
    status,
    output,
    usage: { input_tokens: 12, output_tokens: 34, total_tokens: 46 },
    error: null,
  });
  if (!stream) {
    response.writeHead(200, { ...CORS, 'content-type': 'application/json' });
    response.end(JSON.stringify(whole('completed', script.think ? [reasoning, message] : [message])));
    return;
  }
  response.writeHead(200, { ...CORS, 'content-type': 'text/event-stream' });
  let sequence = 0;
  const send = (event: Record<string, unknown>) => response.write(`event: ${String(event.type)}\ndata: ${JSON.stringify({ ...event, sequence_number: sequence++ })}\n\n`);
  if (script.stall) return;
  send({ type: 'response.created', response: whole('in_progress', []) });
  if (script.think) {
    for (const piece of pieces(REASONING, 8)) send({ type: 'response.reasoning_summary_text.delta', item_id: 'rs_1', output_index: 0, summary_index: 0, delta: piece });
    send({ type: 'response.reasoning_text.delta', item_id: 'rs_1', output_index: 0, content_index: 0, delta: REASONING });
  }
  if (script.failed) {
    send({ type: 'response.failed', response: { ...whole('failed', []), error: { code: 'server_error', message: 'scripted failure' } } });
    response.end();
    return;
  }
  for (const [index, piece] of pieces(content).entries()) {
    if (response.destroyed) return;
    if (script.cut && index === 12) {
      response.destroy();
      return;
    }
    if (index === 12 && midStreamFault(script, response, { type: 'error', code: 'server_error', message: 'scripted failure mid-stream', param: null, sequence_number: sequence++ }, 'error')) return;
    send({ type: 'response.output_text.delta', item_id: 'msg_1', output_index: 1, content_index: 0, delta: piece });
    if (script.pauseMs > 0) await sleep(script.pauseMs);
  }
  send({ type: 'response.output_item.done', output_index: 1, item: message });
  const call = script.toolCall ? { id: 'fc_1', type: 'function_call', status: 'completed', call_id: 'call_1', name: script.toolCall.name, arguments: script.toolCall.arguments } : null;
  if (call) {
    send({ type: 'response.output_item.added', output_index: 2, item: { ...call, status: 'in_progress', arguments: '' } });
    for (const piece of pieces(call.arguments, 5)) send({ type: 'response.function_call_arguments.delta', item_id: 'fc_1', output_index: 2, delta: piece });
    send({ type: 'response.function_call_arguments.done', item_id: 'fc_1', output_index: 2, arguments: call.arguments });
    send({ type: 'response.output_item.done', output_index: 2, item: call });
  }
  send({ type: 'response.completed', response: whole('completed', [...(script.think ? [reasoning] : []), message, ...(call ? [call] : [])]) });
  response.end();
}
