/**
 * The turn orchestrator: the listening stage's turn events drive speech to text (finals after
 * Smart Turn's delay, live partials, a reopened turn's waiting final dropped) and the replies; one
 * exchange per user turn (typed, transcribed, or audio for `stt none`), each answered by the
 * language model and spoken by the reply's voice, with the reference's rules: one reply at a
 * time (a newer turn stops the older reply, which keeps what was said); a
 * reopened turn's longer transcript takes its place and drops its work; the voice is heard only
 * once the turn is released; the user speaking over the assistant (barge-in) silences it and keeps
 * the reply as the words heard. Plain TypeScript: the backend, the voice and where exchanges are
 * shown are passed in, so it runs in Node under test.
 */
import type { Settings } from '../settings/schema';
import { Conversation, FALLBACK_SENTENCE, ReplyGenerator, SUPERSEDED, audioContentPart, audioInputProblem, type LanguageModelBackend, type Message, type ToolRunner } from '../stages/llm';
import type { TurnAudio } from '../stages/stt';
import type { TurnEvent } from '../stages/vad';
import { BargeIn } from './bargeIn';
import { freshExchange, toolCallDone, toolCallStarted, type Exchange, type ExchangeChange, type ExchangeLog } from './exchange';

import type { ReplySpeechEvents } from './replySpeech';
import type { ReplyVoice } from './replyVoice';
import { markMoment, type Moment } from './timeline';

export interface TurnPorts {
  readonly settings: () => Settings;
  /** Speech to text; its final transcript comes back through replyToTurn. Not used with `stt none`. */
  readonly transcribe: (job: TurnAudio) => void;
  /** The language model the settings ask for (loaded first if local). */
  readonly backend: (settings: Settings) => Promise<LanguageModelBackend>;
  /** A voice for one reply in `language` (null: a typed message, or no language reported); null when there is none (replies are then text only). */
  readonly voice: (events: ReplySpeechEvents, language: string | null) => ReplyVoice | null;
  /** Silences a reply's voice; resolves with the words heard. */
  readonly stopVoice: (voice: ReplyVoice) => Promise<string>;
  /** Whether the assistant's voice is playing now. */
  readonly audible: () => boolean;
  /** Lowers the assistant's voice (the user may be speaking over it), or brings it back. */
  readonly duck: (ducked: boolean) => void;
  /** Where the exchanges live (the page's store, or a list in a test). */
  readonly exchanges: ExchangeLog;
  readonly mark?: (moment: Moment, id: number | null) => void;
  /** A turn said over the reply was an acknowledgement: it is not answered. */
  readonly backchannel?: (turn: number) => void;
  /** A reply began or ended: whether the assistant has the turn (`awaitingVoice`) may have changed. */
  readonly replyChanged?: () => void;
  /** The tools a reply may use under these settings; none: the model is offered none. */
  readonly tools?: (settings: Settings) => Promise<ToolRunner | null>;
  /** What the user said, while a tool call waits for their answer: true when it was a yes or a no (it answered the call, and is no message). */
  readonly spokenAnswer?: (turn: number, text: string) => boolean;
  /** A tool call waits for the user's answer: their voice does not stop the reply, their words decide (a yes, a no, or a new turn). */
  readonly askingUser?: () => boolean;
}

/** How many recent turns' state (end time, release) is kept. */
const KEPT_TURNS = 16;

export class TurnOrchestrator {
  private conversation: Conversation | null = null;
  private generator: { backend: LanguageModelBackend; generator: ReplyGenerator } | null = null;
  private running: { exchangeId: number; turn: number | null; controller: AbortController; speech: ReplyVoice | null; done: Promise<void> } | null = null;
  /** The last reply whose generation ended while its speech may still play. */
  private voiced: { exchangeId: number; turn: number | null; speech: ReplyVoice } | null = null;
  /** Spoken turns whose output may be released (Smart Turn and the reopen grace are past). */
  private readonly releasedTurns = new Set<number>();
  /** When each spoken turn's end was detected (its last segment), on the page clock. */
  private readonly turnEndedAt = new Map<number, number>();
  /** The newest revision heard of each spoken turn: a transcript of an older one is never answered. */
  private readonly latestRevision = new Map<number, number>();
  /** Finals waiting out Smart Turn's delay (an incomplete turn may go on), by turn. */
  private readonly waitingFinals = new Map<number, { readonly timer: ReturnType<typeof setTimeout>; readonly job: TurnAudio }>();
  /** What the user's voice over the reply does: duck, then cut or go on (a backchannel). */
  private readonly barge: BargeIn;
  /**
   * What the user had heard of the reply playing when their speech over it was confirmed: a real
   * interruption keeps the reply as far as that (as the reference, which cuts right there), even
   * when its words come after the lowered reply has played on, or to its end.
   */
  private heardAtOnset: { readonly exchangeId: number; readonly heard: string } | null = null;

  constructor(private readonly ports: TurnPorts) {
    this.barge = new BargeIn({
      settings: () => ports.settings(),
      audible: () => ports.audible(),
      duck: (ducked) => ports.duck(ducked),
      cut: () => (ports.askingUser?.() ? Promise.resolve() : this.cutReply()),
      onset: () => this.noteOnset(),
      mark: (moment, turn) => this.mark(moment, turn),
    });
  }

  /** A frame of the user's voice (at or above thresh): over the reply, it is lowered at once. */
  voiceHeard(): void {
    this.barge.voiceHeard();
  }

  /** A partial transcript: words spoken over the reply that are no backchannel stop it before the final. */
  onPartial(turn: number, revision: number, text: string): void {
    if (revision >= (this.latestRevision.get(turn) ?? -1)) this.barge.partial(turn, text);
  }

  /** What the listening stage found: speech starting, snapshots for live transcription, soft ends, and final turns. */
  onTurnEvent(event: TurnEvent): void {
    if (event.kind !== 'smart_turn_failed' && event.revision > (this.latestRevision.get(event.turn) ?? -1)) this.latestRevision.set(event.turn, event.revision);
    switch (event.kind) {
      case 'speech_started':
        if (event.reopened) {
          // The user goes on: a final still waiting is superseded by the longer turn that follows.
          this.dropWaitingFinal(event.turn);
          this.supersedeTurn(event.turn);
          this.barge.speechReopened(event.turn);
        } else {
          this.barge.speechStarted(event.turn);
        }
        break;
      case 'progressive':
        if (this.ports.settings().enable_live_transcription) this.transcribe({ turn: event.turn, revision: event.revision, mode: 'partial', audio: event.audio });
        break;
      case 'segment': {
        const job: TurnAudio = { turn: event.turn, revision: event.revision, mode: 'final', audio: event.audio };
        this.noteTurnEnded(event.turn);
        this.barge.segmentEnded(event.turn, event.speechEndMs - event.speechStartMs);
        // Words spoken over the reply are wanted at once: they decide whether it goes on.
        if (event.delayMs <= 0 || this.barge.isPending(event.turn)) {
          this.transcribe(job);
          break;
        }
        this.dropWaitingFinal(event.turn);
        const timer = setTimeout(() => {
          this.waitingFinals.delete(event.turn);
          this.transcribe(job);
        }, event.delayMs);
        this.waitingFinals.set(event.turn, { timer, job });
        break;
      }
      case 'turn_releasable': {
        // Released before Smart Turn's delay is over (the user sent the turn now): transcribed at once.
        const waiting = this.waitingFinals.get(event.turn);
        if (waiting) {
          this.dropWaitingFinal(event.turn);
          this.transcribe(waiting.job);
        }
        this.releaseTurn(event.turn);
        break;
      }
      default:
        break;
    }
  }

  /** Listening stopped: finals still waiting are not transcribed, and nothing heard over the reply is pending. */
  stopListening(): void {
    this.barge.reset();
    for (const { timer } of this.waitingFinals.values()) clearTimeout(timer);
    this.waitingFinals.clear();
  }

  private dropWaitingFinal(turn: number): void {
    const waiting = this.waitingFinals.get(turn);
    if (waiting === undefined) return;
    clearTimeout(waiting.timer);
    this.waitingFinals.delete(turn);
  }

  /** A turn's audio to speech to text, or with `stt none` (where the model can take it) a final turn's audio to the model itself. */
  private transcribe(job: TurnAudio): void {
    const settings = this.ports.settings();
    if (settings.stt !== 'none') {
      this.ports.transcribe(job);
      return;
    }
    if (job.mode === 'final' && audioInputProblem(settings) === null) void this.replyToAudioTurn(job.turn, job.audio);
  }

  private mark(moment: Moment, id: number | null): void {
    (this.ports.mark ?? markMoment)(moment, id);
  }

  private update(id: number, change: ExchangeChange): void {
    this.ports.exchanges.update(id, change);
  }

  /** The end of a spoken turn's speech was detected (a segment closed). */
  private noteTurnEnded(turn: number): void {
    this.turnEndedAt.set(turn, performance.now());
    this.mark('turn-ended', turn);
    // Only recent turns can still be reopened or released: older ones' state goes, so a long session stays flat.
    for (const map of [this.turnEndedAt, this.releasedTurns, this.latestRevision]) for (const old of map.keys()) if (old < turn - KEPT_TURNS) map.delete(old);
  }

  /** A typed message. */
  sendMessage(text: string): Promise<void> {
    const user = text.trim();
    return user === '' ? Promise.resolve() : this.startExchange(null, user, user, null);
  }

  /**
   * A spoken turn's final transcript (a reopened turn sends its longer transcript under the same
   * turn). The transcript of a revision the user has already gone on from is not answered: its
   * turn is one message, the newest revision's.
   */
  async replyToTurn(turn: number, text: string, language: string | null, revision?: number): Promise<void> {
    const user = text.trim();
    if (revision !== undefined && revision < (this.latestRevision.get(turn) ?? -1)) {
      // Not answered; but its words only grow in the newer revision: enough of them already rule out a backchannel.
      this.barge.partial(turn, user);
      return;
    }
    // "Yes" or "no" to a tool call waiting for the user answers it: the reply that asked goes on.
    if (user !== '' && this.ports.spokenAnswer?.(turn, user)) {
      this.barge.answered(turn);
      this.heardAtOnset = null;
      return;
    }
    // A backchannel over the reply ("yeah, right") is not answered: the reply goes on.
    if ((await this.barge.final(turn, user)) === 'backchannel') {
      this.heardAtOnset = null;
      this.ports.backchannel?.(turn);
      return;
    }
    if (user !== '') await this.startExchange(turn, user, user, language || null);
  }

  /** `stt none`: a spoken turn's audio itself goes to the model. */
  private replyToAudioTurn(turn: number, audio: Float32Array): Promise<void> {
    const { responses_api_audio_content_type, responses_api_audio_history_turns } = this.ports.settings();
    // Older turns' audio is never sent again: it is not kept either (one fewer, for this turn's).
    this.conversation?.keepRecentAudio(Math.max(0, responses_api_audio_history_turns - 1));
    return this.startExchange(turn, [audioContentPart(audio, responses_api_audio_content_type)], `(${(audio.length / 16_000).toFixed(1)} s of speech, sent as audio)`, null);
  }

  /** A spoken turn is final: its reply may be heard. */
  releaseTurn(turn: number): void {
    this.mark('released', turn);
    this.releasedTurns.add(turn);
    if (this.running?.turn === turn) this.running.speech?.release();
    // A reply may be complete before its turn is final: it is heard now.
    if (this.voiced?.turn === turn) this.voiced.speech.release();
  }

  /**
   * A turn was reopened: all work for its older revision goes now (the reference drops it at every
   * stage): a reply still generating is aborted, one already complete is silenced before anything
   * of it is heard, and the turn's message and reply leave the conversation. The longer transcript
   * follows.
   */
  supersedeTurn(turn: number): void {
    if (this.running?.turn === turn) this.running.controller.abort(SUPERSEDED);
    this.dropVoiced(turn);
    this.conversation?.retractTurn(turn);
  }

  /** A complete reply of an older revision of `turn`, waiting for its release: silenced, never heard. */
  private dropVoiced(turn: number): void {
    if (this.voiced?.turn !== turn) return;
    void this.ports.stopVoice(this.voiced.speech);
    this.voiced = null;
  }

  /** The user's speech over the reply playing was confirmed: what they had heard of it until then. */
  private noteOnset(): void {
    const reply = this.running?.speech?.audible ? { exchangeId: this.running.exchangeId, speech: this.running.speech } : this.voiced;
    this.heardAtOnset = reply?.speech.audible ? { exchangeId: reply.exchangeId, heard: reply.speech.heardText() } : null;
  }

  /** What the user heard of exchange `exchangeId`'s reply when they spoke over it, if they did. */
  private heardBeforeOnset(exchangeId: number): string | null {
    return this.heardAtOnset?.exchangeId === exchangeId ? this.heardAtOnset.heard : null;
  }

  /** Stops the reply, spoken or still generating, keeping it as the words heard. */
  /** Stop pressed: the reply is silenced now and ends as what was heard, as after a barge-in. */
  stopReply(): Promise<void> {
    return this.cutReply();
  }

  private async cutReply(): Promise<void> {
    const audible = this.ports.audible();
    if (this.running) {
      const { speech, controller, exchangeId } = this.running;
      if (speech) {
        const stopped = await this.ports.stopVoice(speech);
        this.update(exchangeId, { heard: this.heardBeforeOnset(exchangeId) ?? stopped });
      }
      controller.abort('barge-in');
    } else {
      await this.cutVoiced();
    }
    if (audible) this.mark('silent', null);
  }

  /** Forgets the conversation (the model stays loaded). */
  newConversation(): void {
    this.barge.reset();
    this.running?.controller.abort();
    if (this.running?.speech) void this.ports.stopVoice(this.running.speech);
    if (this.voiced) void this.ports.stopVoice(this.voiced.speech);
    this.voiced = null;
    this.generator?.generator.dispose();
    // A fresh conversation: a reply still settling after the abort writes to the old one.
    this.conversation = null;
    this.generator = null;
    this.ports.exchanges.clear();
  }

  /**
   * Goes on with an earlier conversation: the model gets what the user heard of it as its history,
   * as if it had been said now (a failed reply is not in it), kept within `chat_size` as the
   * reference keeps a conversation (with `compact_history`, the next reply's trim summarises it).
   */
  continueConversation(exchanges: readonly Exchange[]): void {
    this.newConversation();
    const settings = this.ports.settings();
    const conversation = new Conversation(settings, settings.compact_history);
    for (const exchange of exchanges) {
      const said = exchange.status === 'completed' ? exchange.reply : exchange.status === 'interrupted' ? (exchange.heard ?? '') : null;
      if (said === null || exchange.user.trim() === '') continue;
      conversation.addUser(exchange.user);
      conversation.addAssistant(said);
    }
    if (!settings.compact_history) conversation.trim();
    this.conversation = conversation;
  }

  /** The assistant has the turn (released) but nothing of its reply is audible yet: when the thinking cue may sound. */
  get awaitingVoice(): boolean {
    const speech = this.running?.speech ?? this.voiced?.speech;
    return !!speech && speech.isReleased && !speech.audible && !speech.complete && !speech.isStopped;
  }

  /** The conversation the model sees (for tests and export). */
  get history(): readonly Message[] {
    return this.conversation?.history ?? [];
  }

  /** The tools, each call shown in its exchange while it runs and with what went back to the model. */
  private shownTools(tools: ToolRunner, exchangeId: number, speech: ReplyVoice | null): ToolRunner {
    return {
      specs: tools.specs,
      ...(tools.refused ? { refused: (why: string) => tools.refused?.(why) } : {}),
      run: async (call, signal) => {
        this.update(exchangeId, toolCallStarted(call));
        // Once the words before the call have played the reply is silent: the thinking cue may sound.
        speech?.waitForTool(true);
        const result = await tools.run(call, signal).finally(() => speech?.waitForTool(false));
        this.update(exchangeId, toolCallDone(call.id, result));
        return result;
      },
    };
  }

  private sinceTurnEnd(exchange: Exchange): number | null {
    return exchange.turnEndedAt === null ? null : performance.now() - exchange.turnEndedAt;
  }

  private replyGenerator(backend: LanguageModelBackend, settings: Settings): ReplyGenerator {
    this.conversation ??= new Conversation(settings, settings.compact_history);
    this.conversation.configure(settings, settings.compact_history);
    if (this.generator?.backend !== backend) {
      this.generator?.generator.dispose();
      // Read at each reply, so a changed batch size applies at once.
      const ports = this.ports;
      const batching = {
        get stream_batch_sentences() {
          return ports.settings().stream_batch_sentences;
        },
      };
      this.generator = { backend, generator: new ReplyGenerator(backend, this.conversation, batching) };
    }
    return this.generator.generator;
  }

  /**
   * A finished reply the user is hearing, or one whose turn never became final, is stopped and
   * kept as the words heard. One released but not yet audible (its voice still loading) is left
   * to play after: its text was shown.
   */
  private async cutVoiced(): Promise<void> {
    const voiced = this.voiced;
    if (!voiced) return;
    const atOnset = this.heardBeforeOnset(voiced.exchangeId);
    // One played to its end while the user spoke over it is kept as far as they heard before.
    if (voiced.speech.complete ? atOnset === null : voiced.speech.isReleased && !voiced.speech.audible) return;
    this.voiced = null;
    const stopped = voiced.speech.complete ? '' : await this.ports.stopVoice(voiced.speech);
    const heard = atOnset ?? stopped;
    const exchange = this.ports.exchanges.list().find((entry) => entry.id === voiced.exchangeId);
    // Only a completed reply is in the conversation; a failed one only spoke the fallback sentence.
    if (exchange?.status !== 'completed') return;
    this.conversation?.replaceLastAssistant(heard);
    this.update(voiced.exchangeId, { status: 'interrupted', heard });
  }

  private async reply(exchangeId: number, turn: number | null, user: Message['content'], language: string | null, signal: AbortSignal, speech: ReplyVoice | null): Promise<void> {
    const settings = this.ports.settings();
    let backend: LanguageModelBackend | null;
    try {
      // A newer turn or a barge-in does not wait for a model still loading.
      backend = await Promise.race([this.ports.backend(settings), whenAborted(signal)]);
    } catch (error) {
      this.update(exchangeId, { status: 'failed', error: `The language model could not start: ${error instanceof Error ? error.message : String(error)}`, batches: [FALLBACK_SENTENCE] });
      speech?.say(FALLBACK_SENTENCE);
      speech?.finish();
      return;
    }
    if (signal.aborted || backend === null) {
      // Stopped while the model was loading; a reopened turn's exchange is already the newer one's.
      if (signal.reason !== SUPERSEDED) this.update(exchangeId, { status: 'interrupted' });
      void speech?.stop();
      return;
    }
    // The tools (an MCP server may be connecting, within its bound); a barge-in does not wait for them.
    const tools = this.ports.tools ? await Promise.race([this.ports.tools(settings), whenAborted(signal)]) : null;
    if (signal.aborted) {
      if (signal.reason !== SUPERSEDED) this.update(exchangeId, { status: 'interrupted' });
      void speech?.stop();
      return;
    }
    this.mark('request', exchangeId);
    const requested = performance.now();
    let firstTextAt: number | null = null;
    let firstBatchAt: number | null = null;
    const outcome = await this.replyGenerator(backend, settings).respond(user, language, signal, {
      ...(tools ? { tools: this.shownTools(tools, exchangeId, speech) } : {}),
      onDelta: (text) => {
        if (firstTextAt === null) this.mark('first-text', exchangeId);
        firstTextAt ??= performance.now();
        this.update(exchangeId, (exchange) => ({
          status: 'streaming',
          reply: exchange.reply + text,
          firstTextMs: exchange.firstTextMs ?? performance.now() - requested,
          latency: { ...exchange.latency, firstTextMs: exchange.latency.firstTextMs ?? this.sinceTurnEnd(exchange) },
        }));
      },
      onBatch: (chunk) => {
        const now = performance.now();
        if (firstBatchAt === null) this.mark('first-batch', exchangeId);
        firstBatchAt ??= now;
        speech?.say(chunk);
        this.update(exchangeId, (exchange) => ({ batches: [...exchange.batches, chunk], firstBatchMs: exchange.firstBatchMs ?? (firstTextAt === null ? null : now - firstTextAt) }));
      },
      ...(speech ? { heard: () => this.heardBeforeOnset(exchangeId) ?? speech.heardText() } : {}),
    }, turn);
    switch (outcome.status) {
      case 'completed':
        this.update(exchangeId, { status: 'completed' });
        break;
      case 'interrupted':
        this.update(exchangeId, { status: 'interrupted', heard: outcome.text });
        break;
      case 'superseded':
        void speech?.stop();
        return;
      case 'failed':
        this.update(exchangeId, { status: 'failed', error: `The reply failed: ${outcome.message}` });
        break;
    }
    if (speech && outcome.status !== 'interrupted') {
      speech.finish();
      this.voiced = { exchangeId, turn, speech };
    }
  }

  private async startExchange(turn: number | null, content: Message['content'], user: string, language: string | null): Promise<void> {
    const previous = this.running;
    const endedAt = turn === null ? null : (this.turnEndedAt.get(turn) ?? null);
    const fresh = freshExchange(user, language, endedAt, endedAt === null ? null : performance.now() - endedAt);
    // A reopened turn: its longer transcript takes the place of the earlier one, in the same exchange.
    const reopened = turn === null ? undefined : this.ports.exchanges.list().find((exchange) => exchange.turn === turn);
    let exchangeId: number;
    if (reopened) {
      exchangeId = reopened.id;
      if (previous?.exchangeId === exchangeId) previous.controller.abort(SUPERSEDED);
      else previous?.controller.abort();
      // The shorter transcript's reply, complete but not yet heard, never will be.
      if (turn !== null) this.dropVoiced(turn);
      this.update(exchangeId, fresh);
    } else {
      previous?.controller.abort();
      exchangeId = this.ports.exchanges.nextId();
      this.ports.exchanges.add({ id: exchangeId, turn, ...fresh });
    }
    const controller = new AbortController();
    const began = performance.now();
    const speech = this.ports.voice({
      onFirstSynthesized: (synthesisMs) => {
        this.mark('first-synthesized', exchangeId);
        this.update(exchangeId, { synthesisMs });
      },
      onPlaying: () => {
        this.mark('first-audio', exchangeId);
        this.update(exchangeId, (exchange) => ({ firstAudioMs: performance.now() - began, latency: { ...exchange.latency, firstAudioMs: this.sinceTurnEnd(exchange) } }));
      },
      onError: (message) => this.update(exchangeId, { speechError: `Part of the reply could not be spoken: ${message}` }),
    }, language);
    // Typed messages are final at once; a spoken turn waits for its release.
    if (turn === null || this.releasedTurns.has(turn)) speech?.release();
    const done = (async () => {
      // A reply still playing is cut where it is; the older reply settles first, so the conversation keeps its order.
      if (this.voiced?.exchangeId !== exchangeId) await this.cutVoiced();
      await previous?.done;
      await this.reply(exchangeId, turn, content, language, controller.signal, speech);
    })();
    this.running = { exchangeId, turn, controller, speech, done };
    this.ports.replyChanged?.();
    await done;
    if (this.running.done === done) this.running = null;
    this.ports.replyChanged?.();
  }
}

/** Resolves with null once the signal aborts (never, if it does not). */
function whenAborted(signal: AbortSignal): Promise<null> {
  return new Promise((resolve) => {
    if (signal.aborted) resolve(null);
    else signal.addEventListener('abort', () => resolve(null), { once: true });
  });
}
