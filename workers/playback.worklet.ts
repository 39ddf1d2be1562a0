/**
 * The playback AudioWorklet: plays the PlaybackQueue and reports, a few times per 100 ms and at
 * each chunk's end, how many samples of each chunk were actually played.
 */
import type { PlaybackCommand, PlaybackMessage } from '../src/audio/playbackProtocol';
import { PlaybackQueue, type PlayedReport } from '../src/audio/playbackQueue';

/** Render quanta between progress reports (about 21 ms at 48 kHz). */
const REPORT_EVERY = 8;

class PlaybackProcessor extends AudioWorkletProcessor {
  private readonly queue = new PlaybackQueue(sampleRate);
  private pending = new Map<number, PlayedReport>();
  private quanta = 0;

  constructor() {
    super();
    this.port.onmessage = (event: MessageEvent<PlaybackCommand>) => {
      const command = event.data;
      if (command.kind === 'chunk') this.queue.enqueue({ id: command.id, samples: command.samples });
      else if (command.kind === 'duck') this.queue.duck(command.ducked);
      else this.post({ kind: 'flushed', reports: this.queue.flush() });
    };
  }

  process(_inputs: Float32Array[][], outputs: Float32Array[][]): boolean {
    const channels = outputs[0];
    const first = channels?.[0];
    if (!channels || !first) return true;
    const reports = this.queue.render(first);
    for (let channel = 1; channel < channels.length; channel++) channels[channel]?.set(first);
    for (const report of reports) this.pending.set(report.id, report);
    this.quanta++;
    if (this.pending.size > 0 && (reports.some((report) => report.ended) || this.quanta % REPORT_EVERY === 0)) {
      this.post({ kind: 'played', reports: [...this.pending.values()] });
      this.pending = new Map();
    }
    return true;
  }

  private post(message: PlaybackMessage): void {
    this.port.postMessage(message);
  }
}

registerProcessor('playback', PlaybackProcessor);
