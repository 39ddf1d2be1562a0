/**
 * The playback AudioWorklet: plays the PlaybackQueue (and the thinking cue while nothing else
 * plays) and reports, a few times per 100 ms and at each chunk's end, how many samples of each
 * chunk were actually played, the output level, and how many samples of the cue sounded.
 */
import type { PlaybackCommand, PlaybackMessage } from '../src/audio/playbackProtocol';
import { PlaybackQueue, type PlayedReport } from '../src/audio/playbackQueue';
import { ThinkingCue } from '../src/audio/thinkingCue';

/** Render quanta between progress reports (about 21 ms at 48 kHz). */
const REPORT_EVERY = 8;

class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly queue = new PlaybackQueue(sampleRate);
  private readonly cue = new ThinkingCue(sampleRate);
  private pending = new Map<number, PlayedReport>();
  private quanta = 0;
  private squares = 0;
  private samples = 0;
  private cueSamples = 0;
  private lastLevel = 0;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<PlaybackCommand>) => {
      const command = event.data;
      if (command.kind === 'chunk') this.queue.enqueue({ id: command.id, samples: command.samples });
      else if (command.kind === 'duck') this.queue.duck(command.ducked);
      else if (command.kind === 'cue') this.cue.set(command.on);
      else this.post({ kind: 'flushed', reports: this.queue.flush() });
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0];
    const first = channels?.[0];
    if (!channels || !first) return true;
    const replying = !this.queue.idle;
    const reports = this.queue.render(first);
    // A reply takes over from the cue, which fades out under it.
    if (replying) this.cue.set(false);
    this.cueSamples += this.cue.render(first);
    for (let channel = 1; channel < channels.length; channel++) channels[channel]?.set(first);
    for (const report of reports) this.pending.set(report.id, report);
    for (const value of first) this.squares += value * value;
    this.samples += first.length;
    this.quanta++;
    if (reports.some((report) => report.ended) || this.quanta % REPORT_EVERY === 0) this.report();
    return true;
  }

  private report(): void {
    const level = Math.sqrt(this.squares / Math.max(1, this.samples));
    if (this.pending.size > 0 || this.cueSamples > 0 || level > 0 || this.lastLevel > 0) {
      this.post({ kind: 'played', reports: [...this.pending.values()], level, cueSamples: this.cueSamples });
      this.pending = new Map();
    }
    this.lastLevel = level;
    this.squares = 0;
    this.samples = 0;
    this.cueSamples = 0;
  }

  private post(message: PlaybackMessage): void {
    this.port.postMessage(message);
  }
}

registerProcessor('playback', PlaybackProcessor);
