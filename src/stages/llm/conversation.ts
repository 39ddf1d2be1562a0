/**
 * The conversation the language model sees, as the reference keeps it (`LLM/chat.py`): the system
 * prompt apart from the turns, `chat_size` counted in user turns, older turns evicted whole or
 * (with `compact_history`) summarised into one user/assistant pair by the same model in the
 * background, a hard cap at twice `chat_size`, and the language prompt added to a request but
 * never to the history.
 */
import { languageName } from '../../settings/languages';
import type { Settings } from '../../settings/schema';
import { messageText, type Message } from './message';
import { keepRecentAudio } from './audioInput';
import type { ToolCall } from './tools';

type ConversationSettings = Pick<Settings, 'init_chat_prompt' | 'init_chat_role' | 'user_role' | 'chat_size' | 'enable_lang_prompt'>;

/** The reference's instructions to the model that compacts a conversation (`LLM/compaction_prompt.py`). */
export const COMPACTION_SYSTEM_PROMPT = `You are a conversation memory compressor for a real-time voice AI assistant.

Your task: read a multi-turn conversation and produce a dense summary so the
assistant can continue naturally, as if it remembers everything that was said.

Output a single JSON object with exactly two string fields:
  "user_summary"      — 1–5 sentences capturing what the user has been asking
                        about, any preferences or constraints they have stated,
                        and where the conversation stands from their perspective.
  "assistant_summary" — 1–5 sentences capturing what the assistant has
                        explained, decided, or done (including tool calls and
                        their results), plus any open questions or commitments.

Rules:
- Be information-dense: preserve names, numbers, file paths, error messages, and
  other specifics that would be needed to continue the conversation correctly.
- Omit small-talk and filler that carries no forward context.
- Write in third person, past tense
  (e.g. "The user asked about…", "The assistant provided…").
- Emit only the JSON object — no markdown, no code fences, no extra keys.`;

/** A compaction job: the turns to summarise, and the request that asks the model to do it. */
export interface CompactionJob {
  readonly generation: number;
  readonly count: number;
  readonly request: readonly Message[];
}

/** "Please reply to my message in French." for a reported language (`fr`, `fr-auto`), if it has a name. */
export function languagePrompt(languageCode: string | null): Message | null {
  if (!languageCode) return null;
  const name = languageName(languageCode);
  return name ? { role: 'user', content: `Please reply to my message in ${name}.` } : null;
}

/** Reads the compacting model's answer: a JSON object with user_summary and assistant_summary. */
export function parseCompaction(answer: string): { userSummary: string; assistantSummary: string } {
  const json = answer.slice(answer.indexOf('{'), answer.lastIndexOf('}') + 1);
  const parsed = JSON.parse(json) as { user_summary?: unknown; assistant_summary?: unknown };
  if (typeof parsed.user_summary !== 'string' || typeof parsed.assistant_summary !== 'string' || !parsed.user_summary.trim() || !parsed.assistant_summary.trim()) {
    throw new Error('the summary has no user_summary or assistant_summary');
  }
  return { userSummary: parsed.user_summary.trim(), assistantSummary: parsed.assistant_summary.trim() };
}

export class Conversation {
  private turns: Message[] = [];
  /** The spoken turn each user message answers to: one turn is one message, whatever its revisions (the reference's "adds or replaces"). */
  private readonly turnOf = new WeakMap<Message, number>();
  /** Bumped by reset, so a compaction started before it is not applied after. */
  private generation = 0;
  private compacting = false;

  constructor(
    private settings: ConversationSettings,
    private compact: boolean,
  ) {}

  /** Changed settings apply from the next request on; the turns stay. */
  configure(settings: ConversationSettings, compact: boolean): void {
    this.settings = settings;
    this.compact = compact;
  }

  private get userTurns(): number {
    return this.turns.filter((message) => message.role === this.settings.user_role).length;
  }

  /**
   * A user message; `turn`, a spoken turn's, replaces that turn's earlier message and everything
   * after it (a reopened turn's longer transcript: the reply to the shorter one goes too).
   */
  addUser(content: Message['content'], turn: number | null = null): void {
    if (turn !== null) this.retractTurn(turn);
    const message: Message = { role: this.settings.user_role, content };
    if (turn !== null) this.turnOf.set(message, turn);
    this.turns.push(message);
    // The reference's safety net: past twice chat_size, the oldest turns go, even with compaction.
    while (this.userTurns > 2 * this.settings.chat_size) this.evictOldestTurn();
  }

  /**
   * Keeps the audio of only the `keep` newest spoken turns (`stt none`): only those are sent
   * (`responses_api_audio_history_turns`), and each second of audio held costs 40 kB.
   */
  keepRecentAudio(keep: number): void {
    const kept = keepRecentAudio(this.turns, keep);
    kept.forEach((message, index) => {
      const turn = this.turnOf.get(this.turns[index] as Message);
      if (turn !== undefined) this.turnOf.set(message, turn);
    });
    this.turns = kept;
  }

  /** The assistant's reply as the user heard it (an interrupted reply: only what was played). */
  addAssistant(content: string): void {
    if (content.trim() !== '') this.turns.push({ role: 'assistant', content });
  }

  /** A round of tool calls: the assistant's words before them with the calls, then each call's result, in order. */
  addToolRound(content: string, calls: readonly ToolCall[], results: readonly string[]): void {
    this.turns.push({ role: 'assistant', content, tool_calls: calls });
    calls.forEach((call, index) => this.turns.push({ role: 'tool', tool_call_id: call.id, content: results[index] ?? '' }));
  }

  /**
   * Takes back the newest user message and anything after it: its turn was reopened (the longer
   * transcript replaces it) or its reply failed before anything was said.
   */
  retractLastUser(): void {
    const newestUser = this.turns.findLastIndex((message) => message.role === this.settings.user_role);
    if (newestUser >= 0) this.turns = this.turns.slice(0, newestUser);
  }

  /** Takes back a spoken turn's message and everything after it (the turn was reopened); nothing if it has none. */
  retractTurn(turn: number): void {
    const index = this.turns.findIndex((message) => this.turnOf.get(message) === turn);
    if (index >= 0) this.turns = this.turns.slice(0, index);
  }

  /** A reply already stored was cut while it played: it becomes the words heard (none: it goes). */
  replaceLastAssistant(content: string): void {
    const last = this.turns.findLastIndex((message) => message.role === 'assistant');
    if (last < 0) return;
    this.turns = content.trim() === '' ? this.turns.filter((_, index) => index !== last) : this.turns.map((message, index) => (index === last ? { ...message, content } : message));
  }

  /** The messages of a request: the system prompt, the turns, and the language prompt when asked for. */
  request(languageCode: string | null = null): Message[] {
    const messages: Message[] = [];
    if (this.settings.init_chat_prompt.trim() !== '') messages.push({ role: this.settings.init_chat_role, content: this.settings.init_chat_prompt });
    messages.push(...this.turns);
    const prompt = this.settings.enable_lang_prompt ? languagePrompt(languageCode) : null;
    if (prompt) messages.push(prompt);
    return messages;
  }

  get history(): readonly Message[] {
    return this.turns;
  }

  /**
   * After a reply: past `chat_size` user turns, either evict the oldest turns, or (compacting)
   * return the job that summarises all but the newest user turn, for the caller to run in the
   * background and hand back to `applyCompaction`.
   */
  trim(): CompactionJob | null {
    if (this.userTurns <= this.settings.chat_size) return null;
    if (!this.compact) {
      while (this.userTurns > this.settings.chat_size) this.evictOldestTurn();
      return null;
    }
    if (this.compacting) return null;
    const newestUser = this.turns.findLastIndex((message) => message.role === this.settings.user_role);
    const summarised = this.turns.slice(0, newestUser);
    if (summarised.filter((message) => message.role === this.settings.user_role).length < 2) return null;
    this.compacting = true;
    const transcript = summarised.map((message) => `${message.role === this.settings.user_role ? 'User' : 'Assistant'}: ${messageText(message)}`).join('\n');
    return {
      generation: this.generation,
      count: summarised.length,
      request: [
        { role: 'system', content: COMPACTION_SYSTEM_PROMPT },
        { role: 'user', content: `Summarize the following conversation.  Return only the JSON object.\n\n--- CONVERSATION START ---\n${transcript}\n--- CONVERSATION END ---` },
      ],
    };
  }

  /**
   * Puts a finished summary in place of the turns it covers; turns added meanwhile stay. A failed
   * or unreadable summary changes nothing (the turns stay until the next try), nor does one
   * started before a reset.
   */
  applyCompaction(job: CompactionJob, answer: string | Error): 'applied' | 'stale' | 'failed' {
    this.compacting = false;
    if (job.generation !== this.generation) return 'stale';
    if (answer instanceof Error) return 'failed';
    let summary: { userSummary: string; assistantSummary: string };
    try {
      summary = parseCompaction(answer);
    } catch {
      return 'failed';
    }
    this.turns = [{ role: this.settings.user_role, content: summary.userSummary }, { role: 'assistant', content: summary.assistantSummary }, ...this.turns.slice(job.count)];
    return 'applied';
  }

  reset(): void {
    this.turns = [];
    this.generation++;
    this.compacting = false;
  }

  /** Drops the oldest user message and everything up to the next one. */
  private evictOldestTurn(): void {
    const next = this.turns.findIndex((message, index) => index > 0 && message.role === this.settings.user_role);
    this.turns = next < 0 ? [] : this.turns.slice(next);
  }
}
