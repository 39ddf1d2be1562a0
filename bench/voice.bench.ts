import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { chromium, test, type Browser, type BrowserContext, type Page } from '@playwright/test';
import { afterSilence, silence, twoSentences } from '../e2e/clips';
import { withMicrophoneClip } from '../e2e/chromium';
import { gotoAllowing } from '../e2e/fixtures';
import { startLlmServer } from '../e2e/llmServer';
import { TEST_TTS } from '../e2e/paths';
import { APP_PORT } from './ports';
import { serveConstantSmartTurn } from './smartTurnStandIn';
import { format, median } from './stats';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 4);
/** The built site under test: `dist` unless `BENCH_DIST` names another build (an older one, to compare). */
const SITE = process.env.BENCH_DIST ?? 'dist';

/**
 * What a user gets under the default settings, in the built app: the local models from
 * shared/models (Whisper tiny.en, the Smart Turn and Kokoro stand-ins), the local Chat Completions
 * server as the language model, and an espeak-ng question as the microphone. Every setting is the
 * page's default but those (Smart Turn v3.2 itself is not in shared/models: without a stand-in it
 * would fail to load and turns would end on silence alone).
 */
const DEFAULTS = 'models_base_url=/models/&stt_model_name=onnx-community/whisper-tiny.en&smart_turn_model_path=test/tiny-random-smart-turn/smart-turn-v3.2-cpu.onnx&llm_backend=chat-completions&model_name=bench';

const environment = () => `chromium, ${cpus()[0]?.model ?? 'unknown CPU'} x${cpus().length}, built app (${SITE})`;

/** Records, on the page's clock, when listening and speech to text first say they are ready. */
async function watchReadiness(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const seen: Record<string, number> = {};
    (window as unknown as { readiness: Record<string, number> }).readiness = seen;
    const check = () => {
      if (!('listening' in seen) && document.querySelector('[data-stage="listening"]')?.textContent?.includes('ready')) seen.listening = performance.now();
      if (!('stt' in seen) && document.querySelector('[data-stt-status="ready"]')) seen.stt = performance.now();
    };
    new MutationObserver(check).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  });
}

interface Readiness {
  readonly start: number;
  readonly listening: number;
  readonly stt: number;
}

/** Clicks Start and waits for speech to text to be ready; times are from the click. */
async function startAndWait(page: Page): Promise<Readiness> {
  const button = page.getByRole('button', { name: 'Start listening' });
  await button.waitFor();
  const start = await page.evaluate(() => performance.now());
  await button.click();
  await page.locator('[data-stt-status="ready"]').waitFor({ state: 'attached', timeout: 120_000 });
  await page.waitForFunction(() => 'listening' in (window as unknown as { readiness: Record<string, number> }).readiness, null, { timeout: 60_000 });
  const seen = await page.evaluate(() => (window as unknown as { readiness: Record<string, number> }).readiness);
  return { start, listening: (seen.listening ?? Number.NaN) - start, stt: Math.max(0, (seen.stt ?? Number.NaN) - start) };
}

/**
 * Time to ready: a first visit (a fresh browser profile: the models come from the local server,
 * so the download is fast here and the figure is mostly the load), then a returning visit (the
 * same profile reloaded: every file cached) that presses Start at once, and one that presses it
 * after reading the page for 5 s.
 */
test('time to ready: first and returning visit', async () => {
  const clip = silence(30);
  const browser = await chromium.launch(withMicrophoneClip(clip.path));
  const server = await startLlmServer();
  const first: Readiness[] = [];
  const returning: Readiness[] = [];
  const afterReading: Readiness[] = [];
  try {
    for (let repeat = 0; repeat < REPEATS; repeat++) {
      const context = await browser.newContext({ baseURL: `http://localhost:${APP_PORT}/` });
      await watchReadiness(context);
      const page = await context.newPage();
      const url = `/?${DEFAULTS}&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&${TEST_TTS}`;
      await gotoAllowing(page, url);
      first.push(await startAndWait(page));
      await gotoAllowing(page, url);
      returning.push(await startAndWait(page));
      await gotoAllowing(page, url);
      await page.waitForTimeout(5000);
      afterReading.push(await startAndWait(page));
      await context.close();
    }
  } finally {
    await browser.close();
    await server.close();
  }
  const row = (name: string, runs: Readiness[]) =>
    `  ${name}: Start -> listening ${format(median(runs.map((run) => run.listening)), 0)} ms, Start -> speech to text ready ${format(median(runs.map((run) => run.stt)), 0)} ms (runs ${runs.map((run) => format(run.stt, 0)).join(', ')})`;
  console.log(
    [
      `Time to ready: ${environment()}, median of ${REPEATS}`,
      row('first visit (download from a local server)', first),
      row('returning visit, Start at once', returning),
      row('returning visit, Start after 5 s on the page', afterReading),
    ].join('\n'),
  );
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/ready.json', JSON.stringify({ first, returning, afterReading }, null, 2));
});

interface Turn {
  readonly variant: string;
  readonly moments: Record<string, number>;
  readonly sttInferenceMs: number;
  readonly endpointingMs: number;
}

const DEFAULT_VARIANT = 'defaults (live partials, Smart Turn stand-in: incomplete)';
const PARTIALS_OFF = 'live partials off';
const SURE = 'Smart Turn sure of the end (stand-in: 0.97), early release';
const SURE_REFERENCE = 'Smart Turn sure of the end, the reference’s grace (smart_turn_confident_threshold 1)';
const SMART_TURN_OFF = 'Smart Turn off (plain VAD)';
const CUT_AT_ONCE = 'the reference’s barge-in (backchannel_max_words 0: confirmed speech cuts at once)';

/** The settings each variant adds to the defaults; `sureModel` is the URL of a Smart Turn that always answers 0.97. */
function variants(sureModel: string): Record<string, string> {
  const sure = `&smart_turn_model_path=${encodeURIComponent(sureModel)}`;
  return {
    [DEFAULT_VARIANT]: '',
    [PARTIALS_OFF]: '&no_enable_live_transcription',
    [SMART_TURN_OFF]: '&no_smart_turn',
    [SURE]: sure,
    [SURE_REFERENCE]: `${sure}&smart_turn_confident_threshold=1`,
    [CUT_AT_ONCE]: '&backchannel_max_words=0',
  };
}

/**
 * Voice to voice: a question 20 s after Start -> Silero VAD -> Whisper tiny.en -> the local Chat
 * Completions server -> the Kokoro stand-in -> the playback worklet, then a second sentence over
 * the reply (barge-in). Each variant of the settings in turn, in the same run, so they are compared
 * on the same machine at the same moment. The page marks each moment on its clock (User Timing).
 * The Smart Turn stand-in has random weights and calls every turn incomplete: the reference then
 * starts speech to text 600 ms after the soft end and holds the reply 2 s.
 */
test('voice to voice: latency breakdown per variant, and barge-in reaction', async () => {
  const server = await startLlmServer();
  const sureModel = await serveConstantSmartTurn(0.97);
  // `BENCH_VOICE_ONLY=<words>`: only the variants whose names hold them (`partials`: on and off).
  const only = process.env.BENCH_VOICE_ONLY;
  const VARIANTS = Object.fromEntries(Object.entries(variants(sureModel.url)).filter(([name]) => !only || name.includes(only)));
  // The question 20 s after the microphone opens: every model (the partials' worker too) has loaded.
  const clip = afterSilence(twoSentences('moon', 'kitchen_lights', 5), 20);
  const browser: Browser = await chromium.launch(withMicrophoneClip(clip.path));
  const turns: Turn[] = [];
  try {
    for (let repeat = 0; repeat <= REPEATS; repeat++) {
      for (const [variant, extra] of Object.entries(VARIANTS)) {
        const context = await browser.newContext({ baseURL: `http://localhost:${APP_PORT}/` });
        const page = await context.newPage();
        // The servers the link names are allowed, as their user would.
        await gotoAllowing(page, `/?${DEFAULTS}&responses_api_base_url=${encodeURIComponent(server.baseUrl)}&stream_batch_sentences=1&kokoro_speed=0.5&${TEST_TTS}${extra}`);
        await page.getByRole('button', { name: 'Start listening' }).click();
        try {
          await page.locator('.exchange').nth(1).and(page.locator('[data-status="completed"]')).waitFor({ timeout: 90_000 });
        } catch (error) {
          mkdirSync('bench-results', { recursive: true });
          await page.screenshot({ path: `bench-results/voice-failed-${repeat}.png`, fullPage: true });
          throw error;
        }
        const turn = await page.evaluate((name) => {
          const moments: Record<string, number> = {};
          for (const entry of performance.getEntriesByType('mark')) if (entry.name.startsWith('s2s:') && !(entry.name.slice(4) in moments)) moments[entry.name.slice(4)] = entry.startTime;
          // The request that carries the whole question: the last one made for the first exchange.
          const requests = (performance.getEntriesByName('s2s:request') as PerformanceMark[]).filter((mark) => (mark.detail as { id: number | null } | null)?.id === 1);
          const whole = requests.at(-1);
          if (whole) moments['whole-request'] = whole.startTime;
          moments.requests = requests.length;
          const transcript = document.querySelector<HTMLElement>('.transcript[data-final="true"]');
          const segment = document.querySelector<HTMLElement>('[data-speech-end-ms]');
          return {
            variant: name,
            moments,
            sttInferenceMs: Number(transcript?.dataset.inferenceMs),
            endpointingMs: Number(segment?.dataset.endMs) - Number(segment?.dataset.speechEndMs),
          };
        }, variant);
        await context.close();
        // The first round warms the browser's caches and the server; it is not counted.
        if (repeat > 0) turns.push(turn);
      }
    }
  } finally {
    await browser.close();
    await server.close();
    await sureModel.close();
  }

  const span = (from: string, to: string) => (turn: Turn) => (turn.moments[to] ?? Number.NaN) - (turn.moments[from] ?? Number.NaN);
  const lines = [`Voice-to-voice benchmark: ${environment()}, median of ${REPEATS} runs per variant`];
  const transcriptMs: Record<string, number> = {};
  for (const variant of Object.keys(VARIANTS)) {
    const runs = turns.filter((turn) => turn.variant === variant);
    const of = (pick: (turn: Turn) => number) => median(runs.map(pick));
    transcriptMs[variant] = of(span('turn-ended', 'transcript'));
    // The app's own time: what is left of turn end -> first audio once the model work and the configured waits are taken out.
    const overhead = runs.map((turn) => {
      const total = span('turn-ended', 'first-audio')(turn);
      const models = turn.sttInferenceMs + span('first-text', 'first-batch')(turn) + span('first-batch', 'first-synthesized')(turn);
      const releaseWait = Math.max(0, span('first-synthesized', 'released')(turn));
      const sttWait = Math.max(0, span('turn-ended', 'transcript')(turn) - turn.sttInferenceMs);
      return total - models - releaseWait - sttWait;
    });
    const rows: [string, number][] = [
      ['endpointing wait (speech end -> turn end, audio clock)', of((turn) => turn.endpointingMs)],
      ['turn end -> transcript', of(span('turn-ended', 'transcript'))],
      ['turn end -> the model request for the whole question', of(span('turn-ended', 'whole-request'))],
      ['requests made for the question (1: no revision answered before the whole question)', of((turn) => turn.moments.requests ?? Number.NaN)],
      ['  of which Whisper inference (the final)', of((turn) => turn.sttInferenceMs)],
      ['  of which waiting (Smart Turn delay, a partial still running)', of((turn) => span('turn-ended', 'transcript')(turn) - turn.sttInferenceMs)],
      ['transcript -> first token', of(span('transcript', 'first-text'))],
      ['first token -> first sentence handed on', of(span('first-text', 'first-batch'))],
      ['first sentence -> its audio synthesised (Kokoro stand-in)', of(span('first-batch', 'first-synthesized'))],
      ['turn end -> release (the reopen grace, or Smart Turn’s wait)', of(span('turn-ended', 'released'))],
      ['turn end -> first audio handed to the speakers', of(span('turn-ended', 'first-audio'))],
      ['first voice frame over the reply (ducked at once) -> speech confirmed (min_speech_ms)', of(span('duck', 'confirmed'))],
      ['speech confirmed -> cut (a real interruption: its length or words rule a backchannel out; 0 when it cuts at once)', of(span('confirmed', 'barge-in'))],
      ['cut -> silent (flush)', of(span('barge-in', 'silent'))],
      ['first voice frame over the reply -> silent', of(span('duck', 'silent'))],
      ['app overhead (turn end -> first audio, minus model work, the Smart Turn delay and the release wait)', median(overhead)],
    ];
    lines.push(` ${variant}:`, ...rows.map(([name, value]) => `  ${name}: ${format(value, 1)} ms`));
  }
  const on = transcriptMs[DEFAULT_VARIANT] ?? Number.NaN;
  const off = transcriptMs[PARTIALS_OFF] ?? Number.NaN;
  lines.push(` turn end -> transcript, live partials on / off: ${format(on / off, 2)}`);
  const ofVariant = (variant: string, pick: (turn: Turn) => number) => median(turns.filter((turn) => turn.variant === variant).map(pick));
  const wholeRequest = span('turn-ended', 'whole-request');
  lines.push(` turn end -> the model request for the whole question, live partials on minus off: ${format(ofVariant(DEFAULT_VARIANT, wholeRequest) - ofVariant(PARTIALS_OFF, wholeRequest), 0)} ms (at most 200)`);
  const finalMs = (turn: Turn) => turn.sttInferenceMs;
  lines.push(` Whisper's final, Smart Turn on (stand-in) / off: ${format(ofVariant(DEFAULT_VARIANT, finalMs) / ofVariant(SMART_TURN_OFF, finalMs), 2)} (at most 1.10)`);
  const confirmed = span('duck', 'confirmed');
  lines.push(` speech over the reply confirmed after its onset, worst variant: ${format(Math.max(...Object.keys(VARIANTS).map((variant) => ofVariant(variant, confirmed))), 0)} ms (min_speech_ms 384 + 50 at most)`);
  const firstAudio = (variant: string) => median(turns.filter((turn) => turn.variant === variant).map(span('turn-ended', 'first-audio')));
  lines.push(` turn end -> first audio when Smart Turn is sure, early release / the reference's grace: ${format(firstAudio(SURE), 0)} / ${format(firstAudio(SURE_REFERENCE), 0)} ms`);
  const onsetToSilence = (variant: string) => median(turns.filter((turn) => turn.variant === variant).map(span('duck', 'silent')));
  lines.push(` a real interruption ("Please turn on the kitchen lights."), onset -> silence, backchannel rule / cut at once: ${format(onsetToSilence(DEFAULT_VARIANT), 0)} / ${format(onsetToSilence(CUT_AT_ONCE), 0)} ms`);
  console.log(lines.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/voice.json', JSON.stringify(turns, null, 2));
});
