import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { chromium, test } from '@playwright/test';
import { afterSilence, twoSentences } from '../e2e/clips';
import { withMicrophoneClip } from '../e2e/chromium';
import { startLlmServer } from '../e2e/llmServer';
import { TEST_TTS } from '../e2e/paths';
import { APP_PORT } from './ports';
import { format, median } from './stats';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

interface Run {
  readonly moments: Record<string, number>;
  readonly sttInferenceMs: number;
  readonly endpointingMs: number;
}

/**
 * Voice to voice in the real page: an espeak-ng question as the microphone -> Silero VAD -> Whisper
 * tiny.en -> the local Chat Completions server -> the Kokoro stand-in -> the playback worklet, then
 * a second sentence spoken over the reply. The page marks each moment on its clock (User Timing);
 * the breakdown and the app's own overhead come from those marks.
 */
test('voice to voice: latency breakdown and barge-in reaction', async ({ browserName }) => {
  const server = await startLlmServer();
  // 8 s for the models to load, then the question; the reply plays for about 10 s at half speed, and the second sentence starts 5 s after the first.
  const clip = afterSilence(twoSentences('moon', 'kitchen_lights', 5), 8);
  const browser = await chromium.launch(withMicrophoneClip(clip.path));
  const runs: Run[] = [];
  try {
    for (let repeat = 0; repeat <= REPEATS; repeat++) {
      const context = await browser.newContext({ baseURL: `http://localhost:${APP_PORT}/` });
      const page = await context.newPage();
      const settings = `models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&no_smart_turn&no_echo_cancellation&no_noise_suppression&no_auto_gain_control&llm_backend=chat-completions&model_name=bench&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&stream_batch_sentences=1&kokoro_speed=0.5&${TEST_TTS}`;
      await page.goto(`/?${settings}${process.env.BENCH_VOICE_EXTRA ?? ""}`);
      await page.getByRole('button', { name: 'Start listening' }).click();
      try {
        await page.locator('.exchange').nth(1).and(page.locator('[data-status="completed"]')).waitFor({ timeout: 90_000 });
      } catch (error) {
        mkdirSync('bench-results', { recursive: true });
        await page.screenshot({ path: `bench-results/voice-failed-${repeat}.png`, fullPage: true });
        throw error;
      }
      const run = await page.evaluate(() => {
        const moments: Record<string, number> = {};
        for (const entry of performance.getEntriesByType('mark')) if (entry.name.startsWith('s2s:') && !(entry.name.slice(4) in moments)) moments[entry.name.slice(4)] = entry.startTime;
        const transcript = document.querySelector<HTMLElement>('.transcript[data-final="true"]');
        const segment = document.querySelector<HTMLElement>('[data-speech-end-ms]');
        return {
          moments,
          sttInferenceMs: Number(transcript?.dataset.inferenceMs),
          endpointingMs: Number(segment?.dataset.endMs) - Number(segment?.dataset.speechEndMs),
        };
      });
      await context.close();
      // The first run warms the dev server's module graph and the browser's caches; it is not counted.
      if (repeat > 0) runs.push(run);
    }
  } finally {
    await browser.close();
    await server.close();
  }

  const of = (pick: (run: Run) => number) => median(runs.map(pick));
  const span = (from: string, to: string) => (run: Run) => (run.moments[to] ?? Number.NaN) - (run.moments[from] ?? Number.NaN);
  const rows: [string, number][] = [
    ['endpointing wait (speech end -> turn end, audio clock; min_silence_ms and frame granularity)', of((run) => run.endpointingMs)],
    ['turn end -> transcript', of(span('turn-ended', 'transcript'))],
    ['  of which Whisper inference', of((run) => run.sttInferenceMs)],
    ['transcript -> first token', of(span('transcript', 'first-text'))],
    ['first token -> first sentence handed on (the stream reaching a sentence end)', of(span('first-text', 'first-batch'))],
    ['first sentence -> its audio synthesised (Kokoro stand-in)', of(span('first-batch', 'first-synthesized'))],
    ['turn end -> release (speculative_reopen_ms)', of(span('turn-ended', 'released'))],
    ['turn end -> first audio handed to the speakers', of(span('turn-ended', 'first-audio'))],
    ['first voice frame over the reply (ducked at once) -> speech confirmed (min_speech_ms)', of(span('duck', 'barge-in'))],
    ['confirmed speech over the reply -> silent (flush)', of(span('barge-in', 'silent'))],
  ];
  // The app's own time: what is left of turn end -> first audio once the model work and the configured wait are taken out.
  const overhead = runs.map((run) => {
    const total = span('turn-ended', 'first-audio')(run);
    const models = run.sttInferenceMs + span('first-text', 'first-batch')(run) + span('first-batch', 'first-synthesized')(run);
    const releaseWait = Math.max(0, span('first-synthesized', 'released')(run));
    return total - models - releaseWait;
  });
  const lines = [
    `Voice-to-voice benchmark: ${browserName}, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, built app, median of ${runs.length} runs`,
    ...rows.map(([name, value]) => `  ${name}: ${format(value, 1)} ms`),
    `  app overhead (turn end -> first audio, minus Whisper, the stream to the first sentence, synthesis and the release wait): median ${format(median(overhead), 1)} ms, runs ${overhead.map((value) => format(value, 0)).join(', ')}`,
  ];
  console.log(lines.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/voice.json', JSON.stringify({ runs, overhead }, null, 2));
});
