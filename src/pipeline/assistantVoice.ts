/**
 * The assistant's voice: the speakers (opened on a click), and each reply's way out, either
 * samples from a synthesizer played by the speakers (ReplySpeech) or the browser speaking it
 * itself (WebSpeechReply, `tts web-speech`). It keeps the replies that may still be heard, so the
 * page knows when the assistant is speaking, and can lower (duck) or stop it. Plain TypeScript:
 * the speakers and the synthesizers are passed in.
 */
import { PlayedCounter } from '../audio/playedCounter';
import type { PlaybackProgress } from '../audio/playbackProtocol';
import type { SpeechSynthesizer } from '../stages/tts';
import { ReplySpeech, type ReplySpeechEvents, type Speakers } from './replySpeech';
import type { ReplyVoice } from './replyVoice';
import { WebSpeechReply, type SpeechSynthesisLike, type WebSpeechOptions } from './webSpeechReply';

/** The speakers as the voice uses them (the Player in the page). */
export interface SpeakersPort extends Speakers {
  readonly sampleRate: number;
  readonly suspended: boolean;
  duck(ducked: boolean): void;
  /** The thinking cue on or off. */
  cue(on: boolean): void;
  /** Plays through another output device (null: the default). */
  setSink(deviceId: string | null): Promise<void>;
  resume(): Promise<void>;
  onStateChange(listener: () => void): void;
}

/** The browser's own speech synthesis, where it has one. */
export interface BrowserVoice {
  readonly synthesis: SpeechSynthesisLike;
  readonly utterance: (text: string) => SpeechSynthesisUtterance;
}

export interface AssistantVoicePorts {
  readonly openSpeakers: (onProgress: (progress: PlaybackProgress) => void) => Promise<SpeakersPort>;
  readonly browserVoice: () => BrowserVoice | null;
  /** Whether the assistant can be heard now changed. */
  readonly onSpeaking: (speaking: boolean) => void;
  /** What the speakers played since the last report: samples of replies, the output level, samples of the thinking cue. */
  readonly onPlayed: (played: { readonly samples: number; readonly level: number; readonly cueSamples: number }) => void;
  /** The browser paused (or resumed) the speakers. */
  readonly onSuspended: (suspended: boolean) => void;
}

/** How one reply is spoken: samples from a synthesizer, or the browser's own voice. */
export type ReplyVoiceChoice = { readonly kind: 'samples'; readonly synthesizer: (outputRate: number) => SpeechSynthesizer } | { readonly kind: 'browser'; readonly options: WebSpeechOptions };

export class AssistantVoice {
  private speakers: Promise<SpeakersPort> | null = null;
  private readonly replies = new Set<ReplyVoice>();
  private speaking = false;
  /** Reports say how far each chunk played, not how much more. */
  private readonly played = new PlayedCounter();

  constructor(private readonly ports: AssistantVoicePorts) {}

  /** Opens the speakers; call it from a click (browsers start audio only after a user gesture). Rejects with what to do. */
  open(): Promise<SpeakersPort> {
    this.speakers ??= this.ports.openSpeakers((progress) => this.onPlayed(progress)).then(
      (opened) => {
        opened.onStateChange(() => this.ports.onSuspended(opened.suspended));
        return opened;
      },
      (error: unknown) => {
        this.speakers = null;
        throw error;
      },
    );
    return this.speakers;
  }

  /** Resumes speakers the browser paused; call it from a click. */
  resume(): void {
    void this.speakers?.then((opened) => opened.resume());
  }

  /** Whether any reply can be heard now. */
  get audible(): boolean {
    return this.speaking;
  }

  /**
   * The voice of one reply; null when there is no way to speak it (no speakers opened yet, a
   * browser without speech synthesis): the reply is then text only.
   */
  startReply(choice: ReplyVoiceChoice, events: ReplySpeechEvents): ReplyVoice | null {
    if (choice.kind === 'browser') {
      const browser = this.ports.browserVoice();
      if (!browser) return null;
      return this.track(events, (tracked) => new WebSpeechReply(browser.synthesis, browser.utterance, choice.options, tracked));
    }
    const speakers = this.speakers;
    if (!speakers) return null;
    let synthesizer: SpeechSynthesizer | null = null;
    const synthesis: SpeechSynthesizer = {
      speak: async (text, signal) => {
        const opened = await speakers;
        synthesizer ??= choice.synthesizer(opened.sampleRate);
        return synthesizer.speak(text, signal);
      },
    };
    const output: Speakers = {
      play: (id, samples) => void speakers.then((opened) => opened.play(id, samples)),
      flush: async () => (await speakers).flush(),
    };
    return this.track(events, (tracked) => new ReplySpeech(synthesis, output, tracked));
  }

  /** Silences a reply; resolves with the words the user heard. */
  async stopReply(reply: ReplyVoice): Promise<string> {
    const heard = await reply.stop();
    this.replies.delete(reply);
    this.refresh();
    return heard;
  }

  /** Lowers (or brings back) whatever the assistant is saying. */
  duck(ducked: boolean): void {
    void this.speakers?.then((opened) => opened.duck(ducked));
    for (const reply of this.replies) if (reply instanceof WebSpeechReply) reply.duck(ducked);
  }

  /** The thinking cue on or off (it sounds only while no reply plays). */
  cue(on: boolean): void {
    void this.speakers?.then((opened) => opened.cue(on));
  }

  /** Plays through another output device once the speakers are open (null: the default). */
  async setSink(deviceId: string | null): Promise<void> {
    const speakers = this.speakers;
    if (speakers) await (await speakers).setSink(deviceId);
  }

  private onPlayed({ reports, level, cueSamples }: PlaybackProgress): void {
    let samples = 0;
    for (const report of reports) {
      for (const reply of this.replies) if (reply.owns(report.id)) reply.onPlayed(report);
      samples += this.played.take(report);
    }
    this.ports.onPlayed({ samples, level, cueSamples });
  }

  /** Keeps a reply among those that may play while it may, and the speaking state in step with it. */
  private track(events: ReplySpeechEvents, create: (events: ReplySpeechEvents) => ReplyVoice): ReplyVoice {
    const reply: ReplyVoice = create({
      ...events,
      onPlaying: () => {
        this.refresh();
        events.onPlaying?.();
      },
      onDone: () => {
        this.replies.delete(reply);
        this.refresh();
        events.onDone?.();
      },
      onAudibleChanged: () => {
        this.refresh();
        events.onAudibleChanged?.();
      },
    });
    this.replies.add(reply);
    return reply;
  }

  private refresh(): void {
    const speaking = [...this.replies].some((reply) => reply.audible);
    if (speaking === this.speaking) return;
    this.speaking = speaking;
    this.ports.onSpeaking(speaking);
  }
}
