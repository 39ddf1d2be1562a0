import { TEST_LLM } from './paths';
import { shared, silence, twoSentences, type Clip } from './clips';
import { closeSettings, expect, openSettings, test } from './fixtures';
import type { Page } from '@playwright/test';

/** The app with its models served from shared/models (the Smart Turn stand-in), as a link sets it. */
const APP = `/?models_base_url=/models/&${TEST_LLM}&stt_model_name=onnx-community/whisper-tiny.en&smart_turn_model_path=test/tiny-random-smart-turn/smart-turn-v3.2-cpu.onnx`;

interface SeenSegment {
  turn: number;
  revision: number;
  speechStartMs: number;
  speechEndMs: number;
  released: boolean;
}

async function segments(page: Page): Promise<SeenSegment[]> {
  return page.locator('.segment').evaluateAll((items) =>
    items.map((item) => {
      const data = (item as HTMLElement).dataset;
      return {
        turn: Number(data.turn),
        revision: Number(data.revision),
        speechStartMs: Number(data.speechStartMs),
        speechEndMs: Number(data.speechEndMs),
        released: data.released === 'true',
      };
    }),
  );
}

async function listen(page: Page, query = ''): Promise<void> {
  await page.goto(`${APP}${query}`);
  await page.getByRole('button', { name: 'Start listening' }).click();
  // Starting loads the VAD beside Whisper, the language model and the voice: seconds on a busy machine.
  await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
}

/**
 * The detected turn covers the clip's speech: it starts and ends within 200 ms of it. On an idle
 * machine every clip here is within 100 ms; on a loaded one the browser's fake microphone adds
 * silence where the machine starves its audio thread (an end 112 ms late was seen), or the clip's
 * first frames play before the capture is connected (a start 160 ms early was seen).
 */
const TOLERANCE_MS = 200;
function expectBoundaries(seen: SeenSegment[], clip: Clip): void {
  const [speech] = clip.speech;
  const first = seen[0];
  const last = seen.at(-1);
  expect(speech && first && last).toBeTruthy();
  if (!speech || !first || !last) return;
  expect(Math.abs(first.speechStartMs - speech.startMs), `speech starts at ${speech.startMs} ms, detected at ${first.speechStartMs} ms`).toBeLessThanOrEqual(TOLERANCE_MS);
  expect(Math.abs(last.speechEndMs - speech.endMs), `speech ends at ${speech.endMs} ms, detected at ${last.speechEndMs} ms`).toBeLessThanOrEqual(TOLERANCE_MS);
}

for (const name of ['capital_of_france', 'kitchen_lights', 'moon', 'good_morning', 'timer']) {
  test.describe(`listening to ${name}`, () => {
    const clip = shared(name);
    test.use({ microphoneClip: clip.path });

    test('finds one turn where the speech is', async ({ listeningPage: page }) => {
      await listen(page);
      await expect(page.locator('.segment[data-released="true"]')).not.toHaveCount(0, { timeout: 15_000 });
      const seen = await segments(page);
      // Pauses inside a sentence may end a segment early; the speech that follows reopens the same turn.
      expect(seen.every((segment) => segment.turn === 1)).toBe(true);
      expectBoundaries(seen, clip);
    });
  });
}

test.describe('listening with Silero v6', () => {
  const clip = shared('timer');
  test.use({ microphoneClip: clip.path });

  test('finds the turn where the speech is', async ({ listeningPage: page }) => {
    await listen(page, '&silero_vad_version=v6');
    await expect(page.locator('.segment[data-released="true"]')).not.toHaveCount(0, { timeout: 15_000 });
    expectBoundaries(await segments(page), clip);
  });
});

test.describe('two sentences with a 2 s pause', () => {
  const clip = twoSentences('capital_of_france', 'moon', 2);
  test.use({ microphoneClip: clip.path });

  test('are two turns with plain VAD endpointing (--no_smart_turn)', async ({ listeningPage: page }) => {
    await listen(page, '&no_smart_turn');
    await expect(page.locator('.segment[data-released="true"]')).not.toHaveCount(0, { timeout: 20_000 });
    await expect.poll(async () => new Set((await segments(page)).map((segment) => segment.turn)).size, { timeout: 20_000 }).toBe(2);
    const seen = await segments(page);
    const turns = [1, 2].map((turn) => seen.filter((segment) => segment.turn === turn));
    expect(clip.speech).toHaveLength(2);
    turns.forEach((segmentsOfTurn, index) => expectBoundaries(segmentsOfTurn, { ...clip, speech: [clip.speech[index] as Clip['speech'][number]] }));
    expect(await page.locator('.segment').first().textContent()).toContain('Ended by silence');
  });
});

test.describe('a sentence resumed after 1 s', () => {
  const clip = twoSentences('good_morning', 'timer', 1);
  test.use({ microphoneClip: clip.path });

  test('reopens the same turn while Smart Turn holds it open', async ({ listeningPage: page }) => {
    // The Smart Turn stand-in calls these turns incomplete, so each stays open smart_turn_max_wait_ms (2 s).
    await listen(page);
    await expect.poll(async () => (await segments(page)).some((segment) => segment.released), { timeout: 20_000 }).toBe(true);
    const seen = await segments(page);
    expect(seen.every((segment) => segment.turn === 1)).toBe(true);
    expect(Math.max(...seen.map((segment) => segment.revision))).toBeGreaterThanOrEqual(1);
    expect(seen.filter((segment) => segment.released)).toHaveLength(1);
    expect(await page.locator('.segment[data-revision="0"]').textContent()).toContain('Continued below.');
    expect(await page.locator('.segment').first().textContent()).toMatch(/Smart Turn: (not )?complete \(\d+%\)/);
  });
});

test.describe('silence', () => {
  const clip = silence(6);
  test.use({ microphoneClip: clip.path });

  test('gives no turn, and the page keeps listening', async ({ listeningPage: page }) => {
    await listen(page);
    await page.waitForTimeout(6500);
    expect(await segments(page)).toEqual([]);
    await expect(page.locator('.talk-state')).toHaveText('Listening');
  });

  test('a setting that applies at the next start says so while listening, and a restart applies it', async ({ listeningPage: page }) => {
    await listen(page);
    await openSettings(page);
    const thresh = page.locator('[data-setting="thresh"]');
    await expect(thresh.locator('.setting-effect')).toHaveText('Applies when listening next starts.');
    await thresh.locator('input').fill('0.7');
    await closeSettings(page);
    const waiting = page.locator('[data-waiting-for-restart]');
    await expect(waiting).toHaveAttribute('data-waiting-for-restart', 'thresh');
    await expect(waiting).toContainText('thresh applies when listening starts again.');
    await waiting.getByRole('button', { name: 'Restart listening now' }).click();
    await expect(page.locator('.talk-state')).toHaveText(/Listening|Hearing you/, { timeout: 45_000 });
    await expect(waiting).toHaveCount(0);
  });
});
