import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { PlayedReport } from '../audio/playbackQueue';
import { defaultSettings, type Settings } from '../settings/schema';
import { FALLBACK_SENTENCE, messageText, type LanguageModelBackend } from '../stages/llm';
import type { TurnAudio } from '../stages/stt';
import type { TurnEvent } from '../stages/vad';
import { ReplySpeech, type Speakers } from './replySpeech';
import { playQueued, type QueuedChunk } from './fakeSpeakers.testSupport';
import { WORD_MS, scriptedModel } from './scriptedModel.testSupport';
import { exchangeLog, freshExchange, type Exchange } from './exchange';
import type { ToolRunner } from '../stages/llm';
import type { Tool } from '../stages/llm';
import { ToolApprovals } from './toolApprovals';
import { ToolBox } from './toolBox';
import { TurnOrchestrator } from './turnOrchestrator';

/**
 * Conversation scripts under fake time: a scripted model (one word every 10 ms), a voice of
 * 1000 samples per word, and speakers that play only when the script says so.
 */
function world(replies: Record<string, string>, overrides: Partial<Settings> = {}, backend?: (model: LanguageModelBackend) => Promise<LanguageModelBackend>, tools?: ToolRunner, approvals?: ToolApprovals) {
  const settings: Settings = { ...defaultSettings(), init_chat_prompt: '', stream_batch_sentences: 1, ...overrides };
  const exchanges: Exchange[] = [];
  const queue: (QueuedChunk & { reply: ReplySpeech })[] = [];
  const voices: ReplySpeech[] = [];
  const model = scriptedModel(replies);
  const jobs: TurnAudio[] = [];
  const speakers = (reply: () => ReplySpeech): Speakers => ({
    play: (id, samples) => queue.push({ id, length: samples.length, played: 0, reply: reply() }),
    flush: () => {
      const reports: PlayedReport[] = queue.map((chunk) => ({ id: chunk.id, played: chunk.played, ended: false }));
      queue.length = 0;
      return Promise.resolve(reports);
    },
  });
  const turns = new TurnOrchestrator({
    settings: () => settings,
    transcribe: (job) => jobs.push(job),
    backend: () => (backend ? backend(model) : Promise.resolve(model)),
    voice: (events) => {
      const voice: ReplySpeech = new ReplySpeech({ speak: (text) => Promise.resolve(new Float32Array(text.split(' ').length * 1000)) }, speakers(() => voice), events);
      voices.push(voice);
      return voice;
    },
    stopVoice: (voice) => voice.stop(),
    audible: () => voices.some((voice) => voice.audible),
    duck: () => undefined,
    exchanges: exchangeLog(
      () => exchanges,
      (next) => void exchanges.splice(0, exchanges.length, ...next),
    ),
    mark: () => undefined,
    tools: () => Promise.resolve(tools ?? null),
    ...(approvals ? { spokenAnswer: (_turn: number, text: string) => approvals.answerSpoken(text) !== null, askingUser: () => approvals.waiting } : {}),
  });
  /** The speakers play `samples` of what is queued, reporting as the worklet does. */
  const play = (samples: number) => {
    for (const { chunk, report } of playQueued(queue, samples)) chunk.reply.onPlayed(report);
  };
  return { turns, exchanges, queue, model, play, settings, jobs };
}

beforeEach(() => {
  vi.useFakeTimers();
});
afterEach(() => {
  vi.useRealTimers();
});

describe('TurnOrchestrator conversation scripts', () => {
  it('user says "hi"; bot replies "A one. B two. C three."; user interrupts after "B": history keeps only what was played', async () => {
    // The reference's barge-in: confirmed speech over the reply cuts it at once.
    const { turns, exchanges, play } = world({ hi: 'A one. B two. C three.' }, { backchannel_max_words: 0 });
    const done = turns.sendMessage('hi');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await done;
    play(2000 + 1000); // "A one." and the word "B"
    turns.onTurnEvent(started(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(exchanges[0]).toMatchObject({ status: 'interrupted', heard: 'A one. B' });
    expect(turns.history).toEqual([
      { role: 'user', content: 'hi' },
      { role: 'assistant', content: 'A one. B' },
    ]);
  });

  it('user interrupts while the bot is still generating: generation stops, only what was heard is kept, the next turn is answered', async () => {
    const { turns, exchanges, play, model } = world({ hi: 'A one. B two. C three. D four.', 'and then': 'E five.' }, { backchannel_max_words: 0 });
    void turns.sendMessage('hi');
    await vi.advanceTimersByTimeAsync(3 * WORD_MS);
    play(1500);
    turns.onTurnEvent(started(1));
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    expect(exchanges[0]).toMatchObject({ status: 'interrupted', heard: 'A' });
    const next = turns.sendMessage('and then');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await next;
    expect(model.requests[1]).toEqual(['user: hi', 'assistant: A', 'user: and then']);
    expect(exchanges[1]?.status).toBe('completed');
  });

  it('a spoken reply waits for its turn to be released, and a reopened turn drops its stale reply before anything is heard', async () => {
    const { turns, exchanges, queue, model } = world({ 'what is': 'Incomplete answer.', 'what is the time': 'It is noon.' });
    void turns.replyToTurn(1, 'what is', 'en');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    expect(exchanges[0]?.status).toBe('completed');
    expect(queue).toHaveLength(0);
    turns.supersedeTurn(1);
    const longer = turns.replyToTurn(1, 'what is the time', 'en');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await longer;
    expect(queue).toHaveLength(0);
    turns.releaseTurn(1);
    expect(queue.map((chunk) => chunk.length)).toEqual([3000]);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ user: 'what is the time', reply: 'It is noon. ' });
    expect(model.requests.at(-1)).toEqual(['user: what is the time']);
    expect(turns.history.map((message) => message.content)).toEqual(['what is the time', 'It is noon.']);
  });

  it('a failed reply speaks the fallback sentence, and the next turn is answered', async () => {
    const { turns, exchanges, queue } = world({ again: 'Fine.' });
    const failed = turns.sendMessage('unscripted');
    await vi.advanceTimersByTimeAsync(5 * WORD_MS);
    await failed;
    expect(exchanges[0]).toMatchObject({ status: 'failed', batches: [FALLBACK_SENTENCE] });
    expect(queue.map((chunk) => chunk.length)).toEqual([FALLBACK_SENTENCE.split(' ').length * 1000]);
    const next = turns.sendMessage('again');
    await vi.advanceTimersByTimeAsync(5 * WORD_MS);
    await next;
    expect(exchanges[1]?.status).toBe('completed');
    expect(turns.history).toEqual([
      { role: 'user', content: 'again' },
      { role: 'assistant', content: 'Fine.' },
    ]);
  });

  it('with interrupt_response off, speaking over the reply does not stop it', async () => {
    const { turns, exchanges, play, queue } = world({ hi: 'A one. B two.' }, { interrupt_response: false });
    const done = turns.sendMessage('hi');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    await done;
    play(1000);
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(segment(1));
    await vi.advanceTimersByTimeAsync(3000);
    expect(exchanges[0]?.status).toBe('completed');
    expect(queue.length).toBeGreaterThan(0);
  });
});

describe('TurnOrchestrator: nothing waits on a stuck stage', () => {
  it('a model whose generation ignores abort does not hold up the next reply, typed or after a new conversation', async () => {
    const stuck: LanguageModelBackend = {
      concurrent: false,
      streamed: true,
      description: 'stuck',
      configure: () => undefined,
      dispose: () => undefined,
      async *stream(messages) {
        if (messageText(messages.at(-1) ?? { role: 'user', content: '' }) !== 'hi') {
          for await (const delta of scripted.stream(messages, new AbortController().signal)) yield delta;
          return;
        }
        yield 'Well ';
        await new Promise(() => undefined);
      },
    };
    const scripted = scriptedModel({ again: 'Here. I am.', fresh: 'New. Start.' });
    const { turns, exchanges } = world({}, {}, () => Promise.resolve(stuck));
    void turns.sendMessage('hi');
    await vi.advanceTimersByTimeAsync(50);
    expect(exchanges[0]).toMatchObject({ status: 'streaming', reply: 'Well ' });
    const again = turns.sendMessage('again');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await again;
    expect(exchanges.map((exchange) => exchange.status)).toEqual(['interrupted', 'completed']);
    expect(exchanges[1]?.reply).toBe('Here. I am. ');

    void turns.sendMessage('hi');
    await vi.advanceTimersByTimeAsync(50);
    turns.newConversation();
    const fresh = turns.sendMessage('fresh');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await fresh;
    expect(exchanges.map((exchange) => [exchange.user, exchange.status])).toEqual([['fresh', 'completed']]);
  });

  it('continuing an earlier conversation gives the model what was heard of it, within chat_size', async () => {
    const { turns, model } = world({ next: 'Sure.' }, { chat_size: 2, compact_history: false });
    const earlier = (user: string, status: Exchange['status'], reply: string, heard: string | null = null): Exchange => ({ ...freshExchange(user, null, null, null), id: 1, turn: null, status, reply, heard });
    turns.continueConversation([
      earlier('oldest', 'completed', 'Gone by now.'),
      earlier('one', 'completed', 'First answer.'),
      earlier('broken', 'failed', ''),
      earlier('two', 'interrupted', 'Heard part. Not heard part.', 'Heard part.'),
    ]);
    // Two user turns kept, as after any reply with chat_size 2; the failed exchange is not in it.
    expect(turns.history.map((message) => message.content)).toEqual(['one', 'First answer.', 'two', 'Heard part.']);
    const next = turns.sendMessage('next');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await next;
    expect(model.requests.at(-1)).toEqual(['user: one', 'assistant: First answer.', 'user: two', 'assistant: Heard part.', 'user: next']);
  });

  it('a tool call is shown in its exchange while it runs and with its answer; the words before it are spoken first', async () => {
    let answer: (result: string) => void = () => undefined;
    const tools: ToolRunner = { specs: [{ name: 'get_current_time', description: 'The time.', parameters: {} }], run: () => new Promise((resolve) => (answer = resolve)) };
    const { turns, exchanges, model } = world({ 'what time is it': 'Let me look. <call get_current_time>', noon: 'It is noon.' }, {}, undefined, tools);
    const reply = turns.sendMessage('what time is it');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(exchanges[0]?.toolCalls).toEqual([{ id: 'call_1', name: 'get_current_time', arguments: '{}', status: 'running', result: null }]);
    expect(exchanges[0]?.batches).toEqual(['Let me look.']);
    answer('noon');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    await reply;
    expect(exchanges[0]).toMatchObject({ status: 'completed', reply: 'Let me look. \n\nIt is noon. ', toolCalls: [{ id: 'call_1', status: 'done', result: 'noon' }] });
    expect(model.requests.at(-1)).toEqual(['user: what time is it', 'assistant: Let me look.', 'tool: noon']);
  });

  it('a spoken "yes" while a call waits for the user answers it: no new exchange, the call runs and the reply goes on; other words are a new turn', async () => {
    const approvals = new ToolApprovals(() => undefined);
    const lampRuns: string[] = [];
    const lamp: Tool = {
      spec: { name: 'switch_lamp', description: 'Switches the lamp.', parameters: { type: 'object' } },
      readOnly: false,
      host: 'this page',
      run: () => {
        lampRuns.push('on');
        return Promise.resolve('the lamp is on');
      },
    };
    const { turns, exchanges, model, play } = world(
      { 'turn on the lamp': 'Sure. <call switch_lamp>', 'the lamp is on': 'Done, it is on.', 'and the heating': 'No heating here.' },
      {},
      undefined,
      new ToolBox([lamp], approvals.ask),
      approvals,
    );
    const reply = turns.sendMessage('turn on the lamp');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(approvals.waiting).toBe(true);
    expect(lampRuns).toEqual([]);
    // "Sure." has played; their voice does not stop the reply that asks: their words decide.
    play(1_000_000);
    turns.onTurnEvent({ kind: 'speech_started', turn: 3, revision: 0, startMs: 0, reopened: false });
    await vi.advanceTimersByTimeAsync(WORD_MS);
    expect(approvals.waiting).toBe(true);
    await turns.replyToTurn(3, 'Yes, go ahead.', 'en');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    await reply;
    expect(lampRuns).toEqual(['on']);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ status: 'completed', reply: 'Sure. \n\nDone, it is on. ', toolCalls: [{ name: 'switch_lamp', status: 'done', result: 'the lamp is on' }] });
    // Nothing waits now: "yes" is no answer, the words are a turn like any other.
    expect(approvals.waiting).toBe(false);
    const next = turns.replyToTurn(4, 'and the heating', 'en');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    await next;
    expect(exchanges).toHaveLength(2);
    expect(model.requests.at(-1)?.at(-1)).toBe('user: and the heating');
  });

  it('a model still loading does not hold up a barge-in or a newer message: the older exchange ends at once', async () => {
    let loaded: (model: LanguageModelBackend) => void = () => undefined;
    const loading = new Promise<LanguageModelBackend>((resolve) => (loaded = resolve));
    const { turns, exchanges, model } = world({ second: 'Two.' }, {}, () => loading);
    void turns.sendMessage('first');
    await vi.advanceTimersByTimeAsync(10);
    const second = turns.sendMessage('second');
    await vi.advanceTimersByTimeAsync(10);
    expect(exchanges[0]?.status).toBe('interrupted');
    loaded(model);
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    await second;
    expect(exchanges[1]).toMatchObject({ status: 'completed', reply: 'Two. ' });
  });
});

describe('TurnOrchestrator: a new turn while the last reply waits for its release', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('drops the unheard reply from the conversation and never plays it', async () => {
    const { turns, queue, exchanges } = world({ first: 'Never heard.', second: 'Heard.' });
    const one = turns.replyToTurn(1, 'first', 'en');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    await one;
    const two = turns.replyToTurn(2, 'second', 'en');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    await two;
    turns.releaseTurn(1);
    turns.releaseTurn(2);
    expect(queue.map((chunk) => chunk.length)).toEqual([1000]);
    expect(exchanges[0]).toMatchObject({ status: 'interrupted', heard: '' });
    expect(turns.history.map((message) => message.content)).toEqual(['first', 'second', 'Heard.']);
  });
});

describe('TurnOrchestrator: cutting the fallback sentence', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('a new message over the fallback sentence leaves the failure as it was and the earlier reply untouched', async () => {
    const { turns, exchanges, play } = world({ hi: 'Hello there.', again: 'Fine.' });
    const first = turns.sendMessage('hi');
    await vi.advanceTimersByTimeAsync(5 * WORD_MS);
    await first;
    play(2000);
    const failed = turns.sendMessage('unscripted');
    await vi.advanceTimersByTimeAsync(5 * WORD_MS);
    await failed;
    play(1000);
    const next = turns.sendMessage('again');
    await vi.advanceTimersByTimeAsync(5 * WORD_MS);
    await next;
    expect(exchanges.map((exchange) => exchange.status)).toEqual(['completed', 'failed', 'completed']);
    expect(turns.history.map((message) => message.content)).toEqual(['hi', 'Hello there.', 'again', 'Fine.']);
  });
});

/** The listening stage's events for one turn, as the VAD worker sends them. */
const started = (turn: number, revision = 0): TurnEvent => ({ kind: 'speech_started', turn, revision, startMs: 0, reopened: revision > 0 });
const snapshot = (turn: number, revision = 0): TurnEvent => ({ kind: 'progressive', turn, revision, audio: new Float32Array(8000), endMs: 500 });
const segment = (turn: number, revision = 0, delayMs = 0): TurnEvent => ({
  kind: 'segment',
  turn,
  revision,
  audio: new Float32Array(16_000 * (revision + 1)),
  startMs: 0,
  endMs: 1000,
  speechStartMs: 0,
  speechEndMs: 1000,
  smartTurn: null,
  delayMs,
  graceMs: 800,
});
const releasable = (turn: number, revision = 0): TurnEvent => ({ kind: 'turn_releasable', turn, revision });

/** "hi" answered ("A one. B two. C three.") and its turn released; the speakers have played "A one.". */
async function replyPlaying(w: ReturnType<typeof world>): Promise<void> {
  w.turns.onTurnEvent(started(1));
  w.turns.onTurnEvent(segment(1));
  const reply = w.turns.replyToTurn(1, 'hi', 'en');
  w.turns.onTurnEvent(releasable(1));
  await vi.advanceTimersByTimeAsync(20 * WORD_MS);
  await reply;
  w.play(2000);
}

describe('TurnOrchestrator from the listening stage', () => {
  it('user says "hi": the final goes to speech to text, its transcript is answered, and the reply is heard once the turn is released', async () => {
    const { turns, jobs, exchanges, queue } = world({ hi: 'A one.' });
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(segment(1));
    expect(jobs.map((job) => [job.turn, job.revision, job.mode])).toEqual([[1, 0, 'final']]);
    const reply = turns.replyToTurn(1, 'hi', 'en');
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    await reply;
    // Not released yet: nothing is queued for the speakers.
    expect(queue).toHaveLength(0);
    turns.onTurnEvent(releasable(1));
    await vi.advanceTimersByTimeAsync(0);
    expect(queue).toHaveLength(1);
    expect(exchanges[0]?.status).toBe('completed');
    expect(exchanges[0]?.reply.trim()).toBe('A one.');
  });

  it('live partials go to speech to text only with enable_live_transcription', () => {
    const live = world({});
    live.turns.onTurnEvent(started(1));
    live.turns.onTurnEvent(snapshot(1));
    expect(live.jobs.map((job) => job.mode)).toEqual(['partial']);
    const quiet = world({}, { enable_live_transcription: false });
    quiet.turns.onTurnEvent(started(1));
    quiet.turns.onTurnEvent(snapshot(1));
    expect(quiet.jobs).toHaveLength(0);
  });

  it('Smart Turn says "incomplete": the final waits; the user goes on, so only the longer turn is transcribed', async () => {
    const { turns, jobs } = world({});
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(segment(1, 0, 600));
    await vi.advanceTimersByTimeAsync(300);
    expect(jobs).toHaveLength(0);
    turns.onTurnEvent(started(1, 1));
    await vi.advanceTimersByTimeAsync(1000);
    expect(jobs).toHaveLength(0);
    turns.onTurnEvent(segment(1, 1, 600));
    await vi.advanceTimersByTimeAsync(600);
    expect(jobs.map((job) => [job.turn, job.revision, job.audio.length])).toEqual([[1, 1, 32_000]]);
  });

  it('a turn sent now while Smart Turn’s delay runs is transcribed at once, once', async () => {
    const { turns, jobs } = world({});
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(segment(1, 0, 600));
    await vi.advanceTimersByTimeAsync(100);
    expect(jobs).toHaveLength(0);
    turns.onTurnEvent(releasable(1));
    expect(jobs.map((job) => [job.turn, job.mode])).toEqual([[1, 'final']]);
    await vi.advanceTimersByTimeAsync(1000);
    expect(jobs).toHaveLength(1);
  });

  it('a reopened turn drops the reply to its shorter transcript, and its longer transcript is answered instead', async () => {
    const { turns, exchanges, model } = world({ 'what is': 'A one. B two. C three. D four.', 'what is the time': 'Noon.' });
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(segment(1));
    void turns.replyToTurn(1, 'what is', 'en');
    await vi.advanceTimersByTimeAsync(3 * WORD_MS);
    turns.onTurnEvent(started(1, 1));
    turns.onTurnEvent(segment(1, 1));
    const longer = turns.replyToTurn(1, 'what is the time', 'en');
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await longer;
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ user: 'what is the time', status: 'completed' });
    expect(exchanges[0]?.reply.trim()).toBe('Noon.');
    expect(turns.history.map((message) => messageText(message))).toEqual(['what is the time', 'Noon.']);
    expect(model.requests).toHaveLength(2);
  });

  it('one turn, one message: a transcript of a revision the user has already gone on from is never answered', async () => {
    // Live transcription off: the shorter revision's final is still being transcribed when the user goes on.
    const { turns, exchanges, model } = world({ 'What is that?': 'Paris is the capital.', 'What is the capital of France?': 'Paris.' }, { enable_live_transcription: false });
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(segment(1));
    turns.onTurnEvent(started(1, 1));
    void turns.replyToTurn(1, 'What is that?', 'en', 0);
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    expect(model.requests).toHaveLength(0);
    expect(exchanges).toHaveLength(0);
    turns.onTurnEvent(segment(1, 1));
    const longer = turns.replyToTurn(1, 'What is the capital of France?', 'en', 1);
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await longer;
    expect(model.requests).toEqual([['user: What is the capital of France?']]);
    expect(exchanges).toHaveLength(1);
    expect(turns.history.map((message) => messageText(message))).toEqual(['What is the capital of France?', 'Paris.']);
  });

  it('one turn, one message: a reply answered in full before the turn reopens leaves the history, and its voice is never heard', async () => {
    const { turns, exchanges, model, queue } = world({ 'What is that?': 'Paris is the capital.', 'What is the capital of France?': 'Paris. It is big. And old.' });
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(segment(1));
    void turns.replyToTurn(1, 'What is that?', 'en', 0);
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    expect(exchanges[0]?.status).toBe('completed');
    // The user goes on: the turn reopens, and its longer transcript comes while the earlier reply waits, complete and unheard.
    turns.onTurnEvent(started(1, 1));
    turns.onTurnEvent(segment(1, 1));
    const longer = turns.replyToTurn(1, 'What is the capital of France?', 'en', 1);
    await vi.advanceTimersByTimeAsync(2 * WORD_MS);
    // Released while the longer reply still streams: only its own words reach the speakers.
    turns.onTurnEvent(releasable(1, 1));
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await longer;
    expect(queue.map((chunk) => chunk.length)).toEqual([1000, 3000, 2000]);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ user: 'What is the capital of France?', status: 'completed' });
    expect(model.requests.at(-1)).toEqual(['user: What is the capital of France?']);
    expect(turns.history.map((message) => messageText(message))).toEqual(['What is the capital of France?', 'Paris. It is big. And old.']);
  });

  it('one turn, one message: a longer transcript replaces the turn’s message even when no reopen was seen first', async () => {
    const { turns, model, play } = world({ 'What is that?': 'Paris is the capital.', 'What is the capital of France?': 'Paris.', 'And Spain?': 'Madrid.' });
    const first = turns.replyToTurn(1, 'What is that?', 'en', 0);
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await first;
    const second = turns.replyToTurn(1, 'What is the capital of France?', 'en', 1);
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await second;
    turns.releaseTurn(1);
    play(1000);
    const third = turns.replyToTurn(2, 'And Spain?', 'en', 0);
    await vi.advanceTimersByTimeAsync(20 * WORD_MS);
    await third;
    expect(model.requests.at(-1)).toEqual(['user: What is the capital of France?', 'assistant: Paris.', 'user: And Spain?']);
  });

  it('new speech over the playing reply barges in: the reply stops and keeps what was heard', async () => {
    const w = world({ hi: 'A one. B two. C three.' });
    const { turns, exchanges } = w;
    await replyPlaying(w);
    turns.onTurnEvent(started(2));
    turns.onTurnEvent(segment(2));
    await vi.advanceTimersByTimeAsync(0);
    // Not yet: it may be a backchannel.
    expect(exchanges[0]?.status).toBe('completed');
    void turns.replyToTurn(2, 'Stop. Tell me about Mars instead.', 'en', 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(exchanges[0]).toMatchObject({ status: 'interrupted', heard: 'A one.' });
  });

  it('a real interruption whose words come late keeps the reply as heard when the speech was confirmed, also if it played on to its end', async () => {
    for (const playedOn of [2000, 10_000]) {
      const w = world({ hi: 'A one. B two. C three.', 'Stop. Tell me about Mars instead.': 'Mars.' });
      const { turns, exchanges, play, queue, model } = w;
      await replyPlaying(w);
      turns.onTurnEvent(started(2));
      turns.onTurnEvent(segment(2));
      // The reply plays on, lowered, while the words are awaited.
      play(playedOn);
      const answer = turns.replyToTurn(2, 'Stop. Tell me about Mars instead.', 'en', 0);
      await vi.advanceTimersByTimeAsync(20 * WORD_MS);
      await answer;
      expect(queue).toHaveLength(0);
      expect(exchanges[0]).toMatchObject({ status: 'interrupted', heard: 'A one.' });
      expect(model.requests.at(-1)).toEqual(['user: hi', 'assistant: A one.', 'user: Stop. Tell me about Mars instead.']);
    }
  });

  it('the words of a revision already gone on from cut a real interruption sooner, though they are not answered', async () => {
    const w = world({ hi: 'A one. B two. C three.' });
    const { turns, exchanges, model } = w;
    await replyPlaying(w);
    turns.onTurnEvent(started(2));
    turns.onTurnEvent(segment(2));
    turns.onTurnEvent(started(2, 1));
    await turns.replyToTurn(2, 'Please turn on', 'en', 0);
    await vi.advanceTimersByTimeAsync(0);
    expect(exchanges[0]).toMatchObject({ status: 'interrupted', heard: 'A one.' });
    expect(exchanges).toHaveLength(1);
    expect(model.requests).toHaveLength(1);
  });

  it('with backchannel_max_words 0 (the reference), confirmed speech over the reply cuts it at once', async () => {
    const w = world({ hi: 'A one. B two. C three.' }, { backchannel_max_words: 0 });
    const { turns, exchanges } = w;
    await replyPlaying(w);
    turns.onTurnEvent(started(2));
    await vi.advanceTimersByTimeAsync(0);
    expect(exchanges[0]).toMatchObject({ status: 'interrupted', heard: 'A one.' });
  });

  it('a backchannel over the reply is not answered, the reply goes on to the end and stays whole in the history', async () => {
    const w = world({ hi: 'A one. B two. C three.' });
    const { turns, exchanges, play, model, queue } = w;
    await replyPlaying(w);
    turns.onTurnEvent(started(2));
    turns.onTurnEvent(segment(2));
    await turns.replyToTurn(2, 'Mm-hmm.', 'en', 0);
    turns.onTurnEvent(releasable(2));
    play(4000);
    expect(queue).toHaveLength(0);
    expect(exchanges).toHaveLength(1);
    expect(exchanges[0]).toMatchObject({ status: 'completed', heard: null });
    expect(model.requests).toHaveLength(1);
    expect(turns.history.map((message) => messageText(message))).toEqual(['hi', 'A one. B two. C three.']);
  });

  it('stt none: a final turn goes to the model as audio; partials go nowhere', async () => {
    const { turns, jobs, exchanges, model } = world({}, { stt: 'none', llm_backend: 'chat-completions' });
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(snapshot(1));
    turns.onTurnEvent(segment(1));
    await vi.advanceTimersByTimeAsync(10 * WORD_MS);
    expect(jobs).toHaveLength(0);
    expect(exchanges[0]?.user).toBe('(1.0 s of speech, sent as audio)');
    expect(model.requests).toHaveLength(1);
  });

  it('listening stops: a final still waiting out Smart Turn is not transcribed', async () => {
    const { turns, jobs } = world({});
    turns.onTurnEvent(started(1));
    turns.onTurnEvent(segment(1, 0, 600));
    turns.stopListening();
    await vi.advanceTimersByTimeAsync(1000);
    expect(jobs).toHaveLength(0);
  });
});
