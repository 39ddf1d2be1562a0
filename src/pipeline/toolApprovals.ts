/**
 * The tool calls waiting for the user's answer: the page shows each (a card with Allow once,
 * Always allow and Deny) and a spoken "yes" or "no" answers the oldest. The tool box bounds the
 * wait; a reply stopped meanwhile withdraws its question.
 */
import type { AskUser, ToolDecision, ToolRequest } from './toolBox';

interface Pending {
  readonly request: ToolRequest;
  readonly answer: (decision: ToolDecision) => void;
}

export class ToolApprovals {
  private readonly pending = new Map<string, Pending>();

  /** @param changed the calls waiting now, each time they change (to show them). */
  constructor(private readonly changed: (requests: readonly ToolRequest[]) => void) {}

  /** Asks the user about a call: resolves with their answer, rejects when the signal aborts. */
  readonly ask: AskUser = (request, signal) =>
    new Promise<ToolDecision>((resolve, reject) => {
      const settle = () => {
        this.pending.delete(request.call.id);
        signal.removeEventListener('abort', aborted);
        this.changed(this.requests);
      };
      const aborted = () => {
        settle();
        reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
      };
      if (signal.aborted) {
        reject(signal.reason instanceof Error ? signal.reason : new Error(String(signal.reason)));
        return;
      }
      this.pending.set(request.call.id, {
        request,
        answer: (decision) => {
          settle();
          resolve(decision);
        },
      });
      signal.addEventListener('abort', aborted, { once: true });
      this.changed(this.requests);
    });

  get requests(): readonly ToolRequest[] {
    return [...this.pending.values()].map((pending) => pending.request);
  }

  /** Whether a call waits for the user (the assistant is not thinking then: it waits for them). */
  get waiting(): boolean {
    return this.pending.size > 0;
  }

  /** The user's answer to one call, from the card. */
  answer(callId: string, decision: ToolDecision): void {
    this.pending.get(callId)?.answer(decision);
  }

  /**
   * What the user said while a call waits: a yes or a no answers the oldest call (allowing it
   * once, or denying it) and is not a message to the model. Anything else is left to the turn.
   */
  answerSpoken(text: string): 'allow-once' | 'deny' | null {
    const oldest = this.pending.values().next();
    if (oldest.done) return null;
    const decision = spokenDecision(text);
    if (decision !== null) oldest.value.answer(decision);
    return decision;
  }
}

const YES = new Set(['yes', 'yeah', 'yep', 'sure', 'ok', 'okay', 'allow', 'allow it', 'do it', 'go ahead', 'yes please', 'please do', 'of course', 'alright', 'all right', 'fine', 'go on', 'confirm', 'confirmed']);
const NO = new Set(['no', 'nope', 'nah', 'deny', 'deny it', 'do not', "don't", 'dont', 'stop', 'cancel', 'no thanks', 'no thank you', 'never mind', 'not now', 'don’t']);

/** A short spoken answer as a decision: "yes", "Yes, go ahead." allow once; "no", "No, don't." deny; anything longer is not an answer. */
export function spokenDecision(text: string): 'allow-once' | 'deny' | null {
  const words = text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}'’\s]/gu, ' ')
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.length === 0 || words.length > 4) return null;
  const said = words.join(' ');
  // "Yes, go ahead", "no, don't": the first word decides when the whole is a known phrase or a yes/no and a known phrase.
  const rest = words.slice(1).join(' ');
  const isYes = (phrase: string) => YES.has(phrase);
  const isNo = (phrase: string) => NO.has(phrase);
  if (isYes(said) || (isYes(words[0] ?? '') && (rest === '' || isYes(rest) || rest === 'please'))) return 'allow-once';
  if (isNo(said) || (isNo(words[0] ?? '') && (rest === '' || isNo(rest)))) return 'deny';
  return null;
}
