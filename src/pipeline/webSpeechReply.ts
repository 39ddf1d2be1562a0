/**
 * One reply spoken by the browser's own speechSynthesis (`tts web-speech`: nothing to download).
 * The browser plays it, so there are no samples to count: word boundary events say how far each
 * utterance got, and ducking pauses the voice (a Web Speech utterance has no volume to lower once
 * started). Same life cycle as ReplySpeech: said at once, heard only once released.
 */
import type { ReplySpeechEvents } from './replySpeech';
import type { ReplyVoice } from './replyVoice';

/** The part of the Web Speech API used here. */
export interface SpeechSynthesisLike {
  speak(utterance: SpeechSynthesisUtterance): void;
  cancel(): void;
  pause(): void;
  resume(): void;
  getVoices(): SpeechSynthesisVoice[];
}

export interface WebSpeechOptions {
  readonly voice: string | null;
  readonly rate: number;
}

interface Utterance {
  readonly text: string;
  /** Characters of `text` spoken so far (from word boundaries). */
  spokenTo: number;
  started: boolean;
  ended: boolean;
}

export class WebSpeechReply implements ReplyVoice {
  private readonly utterances: Utterance[] = [];
  private released = false;
  private finished = false;
  private stopped = false;
  private playing = false;
  private done = false;
  /** A tool runs: once what was said before it has been spoken, the reply is silent until it goes on. */
  private toolRunning = false;

  constructor(
    private readonly synthesis: SpeechSynthesisLike,
    private readonly createUtterance: (text: string) => SpeechSynthesisUtterance,
    private readonly options: WebSpeechOptions,
    private readonly events: ReplySpeechEvents = {},
  ) {}

  /** The browser plays this reply: no sample reports are its. */
  owns(): boolean {
    return false;
  }

  onPlayed(): void {
    // Nothing: progress comes from boundary events.
  }

  say(text: string): void {
    if (this.stopped) return;
    const utterance: Utterance = { text, spokenTo: 0, started: false, ended: false };
    this.utterances.push(utterance);
    if (this.released) this.speak(utterance);
  }

  release(): void {
    if (this.released) return;
    this.released = true;
    for (const utterance of this.utterances) this.speak(utterance);
    this.checkDone();
  }

  finish(): void {
    this.finished = true;
    this.checkDone();
  }

  duck(ducked: boolean): void {
    if (!this.audible) return;
    if (ducked) this.synthesis.pause();
    else this.synthesis.resume();
  }

  heardText(): string {
    const parts: string[] = [];
    for (const utterance of this.utterances) {
      if (!utterance.started) break;
      parts.push(utterance.ended ? utterance.text : utterance.text.slice(0, utterance.spokenTo).trim());
      if (!utterance.ended) break;
    }
    return parts.filter(Boolean).join(' ');
  }

  stop(): Promise<string> {
    if (!this.stopped) {
      this.stopped = true;
      if (this.playing && !this.done) this.synthesis.cancel();
    }
    return Promise.resolve(this.heardText());
  }

  get isReleased(): boolean {
    return this.released;
  }

  /** Stopped before its end (barge-in, a reopened turn). */
  get isStopped(): boolean {
    return this.stopped;
  }

  get complete(): boolean {
    return this.done;
  }

  get audible(): boolean {
    return this.playing && !this.done && !this.stopped && !(this.toolRunning && this.utterances.every((utterance) => utterance.ended));
  }

  waitForTool(running: boolean): void {
    if (running === this.toolRunning) return;
    this.toolRunning = running;
    this.events.onAudibleChanged?.();
  }

  private speak(utterance: Utterance): void {
    const spoken = this.createUtterance(utterance.text);
    spoken.rate = this.options.rate;
    const voice = this.options.voice === null ? undefined : this.synthesis.getVoices().find((candidate) => candidate.name === this.options.voice);
    if (voice) spoken.voice = voice;
    spoken.onstart = () => {
      utterance.started = true;
      if (!this.playing) {
        this.playing = true;
        this.events.onPlaying?.();
      }
    };
    // A word boundary at charIndex: the words before it have been said.
    spoken.onboundary = (event) => {
      if (event.name === 'word') utterance.spokenTo = Math.max(utterance.spokenTo, event.charIndex);
    };
    spoken.onend = () => {
      if (this.stopped) return;
      utterance.started = true;
      utterance.ended = true;
      this.checkDone();
      if (this.toolRunning) this.events.onAudibleChanged?.();
    };
    spoken.onerror = (event) => {
      if (this.stopped || event.error === 'canceled' || event.error === 'interrupted') return;
      utterance.ended = true;
      const why =
        this.synthesis.getVoices().length === 0
          ? `this browser has no speech synthesis voice (${event.error}). Install one (on Linux, speech-dispatcher with espeak-ng), or choose another tts.`
          : `the browser's speech synthesis failed (${event.error}). Choose another web_speech_voice, or another tts.`;
      this.events.onError?.(why);
      this.checkDone();
    };
    this.synthesis.speak(spoken);
  }

  private checkDone(): void {
    if (this.done || !this.finished || this.stopped || !this.released) return;
    if (this.utterances.every((utterance) => utterance.ended)) {
      this.done = true;
      this.events.onDone?.();
    }
  }
}
