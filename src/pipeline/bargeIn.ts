/**
 * Barge-in: what the user's voice does to the assistant's while it speaks. One owner for the whole
 * decision, a state machine on the page's clock:
 *
 *   idle ──voice over the reply──▶ ducked ──speech confirmed (min_speech_ms)──▶ pending
 *     ▲                              │ 700 ms and nothing confirmed: volume back    │
 *     └──────────────────────────────┘                                              │
 *   pending ── longer than backchannel_max_ms, or words that are no backchannel ──▶ cut (reply
 *              stopped, kept as heard; the turn is answered)
 *   pending ── its transcript is a backchannel ("yeah, right") ──▶ resumed (volume back, the
 *              reply goes on, the turn is not answered)
 *   pending ── no transcript within TRANSCRIPT_WAIT_MS of its end, and short ──▶ volume back while
 *              the words are still awaited; they decide as above when they come
 *
 * The rule is the reference's open proposal for its most asked issue (PR #566): at most
 * `backchannel_max_words` words, not a question or an exclamation, at most `backchannel_max_ms`
 * long. `backchannel_max_words 0` is the reference: confirmed speech cuts at once. Speech while
 * nothing is audible (the reply still thinking) is an ordinary turn and stops that reply, as today.
 */
import type { Settings } from '../settings/schema';

type BargeInSettings = Pick<Settings, 'interrupt_response' | 'backchannel_max_words' | 'backchannel_max_ms' | 'min_speech_ms'>;

/** How long a duck waits for the speech to be confirmed before the volume comes back. */
export const DUCK_HOLD_MS = 700;
/** How long a short utterance over the reply waits for its words, once it ended, before its length alone brings the volume back. */
export const TRANSCRIPT_WAIT_MS = 2000;

export type BargeInMoment = 'duck' | 'confirmed' | 'barge-in' | 'resumed';

export interface BargeInPorts {
  readonly settings: () => BargeInSettings;
  /** Whether the assistant's voice is playing now. */
  readonly audible: () => boolean;
  /** Lowers the assistant's voice, or brings it back. */
  readonly duck: (ducked: boolean) => void;
  /** Stops the reply (spoken or still generating), keeping it as the words heard. */
  readonly cut: () => Promise<void>;
  /** Speech over the reply was confirmed (or goes on after a pause): what the user has heard of the reply ends here if it is cut. */
  readonly onset?: () => void;
  readonly mark?: (moment: BargeInMoment, turn: number | null) => void;
}

/** What a transcript of a turn spoken over the reply means. */
export type Judgement = 'backchannel' | 'answer';

type State =
  | { readonly kind: 'idle' }
  | { readonly kind: 'ducked'; readonly timer: ReturnType<typeof setTimeout> }
  | {
      readonly kind: 'pending';
      readonly turn: number;
      /** Running while the user speaks: the speech outgrows a backchannel. */
      readonly lengthTimer: ReturnType<typeof setTimeout> | null;
      /** Running once a segment ended: its words are late. */
      readonly wordsTimer: ReturnType<typeof setTimeout> | null;
    };

/**
 * Words that ask the assistant to stop: never a backchannel, however short ("Stop.", "Wait"). The
 * reference's proposal leaves them to an exclamation mark, which speech to text seldom writes.
 */
const STOP_WORDS = new Set(['stop', 'wait', 'pause', 'cancel', 'enough', 'quiet', 'shush', 'hold']);

/** Whether words said over the reply are an acknowledgement, by PR #566's rule (the length is checked apart). */
export function isBackchannel(text: string, maxWords: number): boolean {
  if (/[?!¿¡？！]/.test(text)) return false;
  const words = text
    .toLowerCase()
    .split(/\s+/)
    .map((word) => word.replace(/[^\p{L}\p{N}'-]/gu, ''))
    .filter((word) => word !== '');
  return words.length <= maxWords && !words.some((word) => STOP_WORDS.has(word));
}

export class BargeIn {
  private state: State = { kind: 'idle' };
  /** Turns judged backchannels, with their speech in ms: not answered unless the user goes on. */
  private readonly backchannels = new Map<number, number>();
  /**
   * Turns that started over the reply whose words are still awaited, with their speech in ms so
   * far: the pending one, and any the user spoke before it (a slow transcript); each is judged by
   * its own words.
   */
  private readonly awaitingWords = new Map<number, number>();

  constructor(private readonly ports: BargeInPorts) {}

  /** A frame of voice (at or above thresh): over the reply, it is lowered at once. */
  voiceHeard(): void {
    if (!this.ports.settings().interrupt_response) return;
    if (this.state.kind === 'pending') return;
    if (this.state.kind === 'idle') {
      if (!this.ports.audible()) return;
      this.ports.mark?.('duck', null);
      this.ports.duck(true);
    } else {
      clearTimeout(this.state.timer);
    }
    this.state = {
      kind: 'ducked',
      timer: setTimeout(() => {
        this.state = { kind: 'idle' };
        this.ports.duck(false);
      }, DUCK_HOLD_MS),
    };
  }

  /**
   * Speech was confirmed (`min_speech_ms`), starting turn `turn`. Over an audible reply it may be a
   * backchannel: the reply plays on, lowered, until its length or its words decide. Otherwise it
   * stops whatever reply there is.
   */
  speechStarted(turn: number): void {
    const settings = this.ports.settings();
    if (!settings.interrupt_response) return;
    const overReply = this.state.kind === 'ducked' || this.ports.audible();
    this.clearTimers();
    if (overReply) this.ports.mark?.('confirmed', turn);
    if (!overReply || settings.backchannel_max_words <= 0) {
      void this.cut(turn);
      return;
    }
    this.ports.onset?.();
    this.awaitingWords.set(turn, 0);
    this.pend(turn, settings.backchannel_max_ms - settings.min_speech_ms);
  }

  /**
   * The pending turn, or one judged a backchannel, goes on after a pause (it was reopened:
   * "Stop. Tell me about Mars instead."): lowered again and judged again, its length counting on.
   */
  speechReopened(turn: number): void {
    const judged = this.backchannels.get(turn);
    if (judged !== undefined && this.ports.settings().interrupt_response) {
      this.backchannels.delete(turn);
      this.awaitingWords.set(turn, judged);
      this.ports.onset?.();
    } else if (!this.isPending(turn)) {
      return;
    }
    this.pend(turn, this.ports.settings().backchannel_max_ms - (this.awaitingWords.get(turn) ?? 0));
  }

  /** A segment of `turn` ended after `speechMs` of speech: too long for a backchannel, or its words are awaited. */
  segmentEnded(turn: number, speechMs: number): void {
    if (!this.isPending(turn)) return;
    this.clearTimers();
    const spokenMs = (this.awaitingWords.get(turn) ?? 0) + speechMs;
    this.awaitingWords.set(turn, spokenMs);
    if (spokenMs > this.ports.settings().backchannel_max_ms) {
      void this.cut(turn);
      return;
    }
    const wordsTimer = setTimeout(() => {
      // The words are late: the speech is short, so the reply comes back up; the words still decide.
      if (this.state.kind !== 'pending' || this.state.turn !== turn) return;
      this.state = { ...this.state, wordsTimer: null };
      this.ports.duck(false);
    }, TRANSCRIPT_WAIT_MS);
    this.state = { kind: 'pending', turn, lengthTimer: null, wordsTimer };
  }

  /** Whether the turn is being judged (its final should be transcribed at once, without Smart Turn's wait). */
  isPending(turn: number): boolean {
    return this.state.kind === 'pending' && this.state.turn === turn;
  }

  /** A partial transcript of the pending turn: words that are no backchannel cut at once, before the final. */
  partial(turn: number, text: string): void {
    if (!this.isPending(turn)) return;
    if (!isBackchannel(text, this.ports.settings().backchannel_max_words)) void this.cut(turn);
  }

  /**
   * A turn's final transcript: whether to answer it. A backchannel over the reply is not answered
   * and the reply goes on at full volume; anything else spoken over it cuts it first.
   */
  async final(turn: number, text: string): Promise<Judgement> {
    if (this.backchannels.has(turn)) return 'backchannel';
    const spokenMs = this.awaitingWords.get(turn);
    if (spokenMs === undefined) return 'answer';
    this.awaitingWords.delete(turn);
    if (!isBackchannel(text, this.ports.settings().backchannel_max_words)) {
      await this.cut(turn);
      return 'answer';
    }
    this.goOn(turn, spokenMs);
    return 'backchannel';
  }

  /** The turn answered the assistant's question (a tool call's "yes" or "no"): like a backchannel, the reply goes on. */
  answered(turn: number): void {
    const spokenMs = this.awaitingWords.get(turn);
    if (spokenMs === undefined) return;
    this.awaitingWords.delete(turn);
    this.goOn(turn, spokenMs);
  }

  /** The words over the reply were not meant to stop it: it comes back to its volume. */
  private goOn(turn: number, spokenMs: number): void {
    this.backchannels.set(turn, spokenMs);
    // Only recent turns can come back; a long session stays flat.
    for (const old of this.backchannels.keys()) if (old < turn - 16) this.backchannels.delete(old);
    for (const old of this.awaitingWords.keys()) if (old < turn - 16) this.awaitingWords.delete(old);
    // An earlier turn's words while a later one is pending change nothing of the later one.
    if (!this.isPending(turn)) return;
    this.clearTimers();
    this.state = { kind: 'idle' };
    this.ports.duck(false);
    this.ports.mark?.('resumed', turn);
  }

  /** Listening stopped, or the conversation was reset: nothing is pending, the volume is back. */
  reset(): void {
    this.clearTimers();
    if (this.state.kind !== 'idle') this.ports.duck(false);
    this.state = { kind: 'idle' };
  }

  /**
   * The reply lowered while `turn`, being spoken, is judged; once `leftMs` more of it is heard it
   * has outgrown a backchannel and cuts, without waiting for its words.
   */
  private pend(turn: number, leftMs: number): void {
    this.clearTimers();
    this.ports.duck(true);
    this.state = { kind: 'pending', turn, lengthTimer: setTimeout(() => void this.cut(turn), Math.max(0, leftMs)), wordsTimer: null };
  }

  private async cut(turn: number): Promise<void> {
    // Speech judged over the reply interrupts it, even if the lowered reply has played to its end meanwhile.
    const overReply = this.ports.audible() || this.awaitingWords.has(turn) || this.isPending(turn);
    this.clearTimers();
    this.state = { kind: 'idle' };
    this.backchannels.delete(turn);
    this.awaitingWords.delete(turn);
    if (overReply) this.ports.mark?.('barge-in', turn);
    await this.ports.cut();
    // Silent now: the volume is back for what plays next.
    this.ports.duck(false);
  }

  private clearTimers(): void {
    const state = this.state;
    if (state.kind === 'ducked') clearTimeout(state.timer);
    if (state.kind === 'pending') {
      if (state.lengthTimer !== null) clearTimeout(state.lengthTimer);
      if (state.wordsTimer !== null) clearTimeout(state.wordsTimer);
    }
  }
}
