import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { test } from '@playwright/test';
import type { Span } from './speechTruth';
import { format, median, quantile } from './stats';
import type { PathResult, VadBenchResult } from './vadBench';

const REPEATS = Number(process.env.BENCH_REPEATS ?? 5);

interface Accuracy {
  expected: number;
  matched: number;
  extra: number;
  startErrors: number[];
  endErrors: number[];
}

/** Found spans under 300 ms apart as one, as the truth joins them: a pause inside a sentence is not a new utterance. */
function joined(spans: readonly Span[]): Span[] {
  const out: Span[] = [];
  for (const span of spans) {
    const last = out.at(-1);
    if (last && span.startMs - last.endMs < 300) last.endMs = Math.max(last.endMs, span.endMs);
    else out.push({ ...span });
  }
  return out;
}

/** Each true speech span against the found span that overlaps it most; found spans matching nothing are extra. */
function accuracy(result: VadBenchResult, path: PathResult): Accuracy {
  const score: Accuracy = { expected: 0, matched: 0, extra: 0, startErrors: [], endErrors: [] };
  for (const clip of result.clips) {
    const found = joined(path.segments[clip.name] ?? []);
    const used = new Set<Span>();
    for (const truth of clip.truth) {
      score.expected++;
      const overlap = (span: Span) => Math.min(span.endMs, truth.endMs) - Math.max(span.startMs, truth.startMs);
      const best = found.filter((span) => overlap(span) > 0).sort((a, b) => overlap(b) - overlap(a))[0];
      if (!best) continue;
      used.add(best);
      score.matched++;
      score.startErrors.push(Math.abs(best.startMs - truth.startMs));
      score.endErrors.push(Math.abs(best.endMs - truth.endMs));
    }
    score.extra += found.filter((span) => !used.has(span)).length;
  }
  return score;
}

test('VAD: our path vs @ricky0123/vad-web', async ({ page, browser }) => {
  await page.goto('/bench/vad.html');
  await page.waitForFunction(() => document.getElementById('state')?.textContent === 'ready');
  const result = await page.evaluate((repeats) => (window as unknown as { runVadBench: (r: number) => Promise<VadBenchResult> }).runVadBench(repeats), REPEATS);

  const environment = { ...result.environment, chromium: browser.version(), cpu: cpus()[0]?.model ?? 'unknown', cpuCores: cpus().length };
  const rows = (['ours', 'peer'] as const).map((name) => {
    const path = result[name];
    const score = accuracy(result, path);
    return {
      path: name === 'ours' ? 'ours (SileroVad + TurnDetector)' : 'vad-web (Silero + FrameProcessor)',
      frames: path.frameMs.length,
      medianMs: median(path.frameMs),
      p95Ms: quantile(path.frameMs, 0.95),
      found: `${score.matched}/${score.expected}`,
      extra: score.extra,
      startMedianMs: median(score.startErrors),
      startMaxMs: Math.max(...score.startErrors),
      endMedianMs: median(score.endErrors),
      endMaxMs: Math.max(...score.endErrors),
    };
  });
  const [ours, peer] = rows as [(typeof rows)[number], (typeof rows)[number]];

  const lines = [
    'VAD benchmark: per-frame compute and boundary accuracy, same frames, same model, same onnxruntime-web',
    ...Object.entries(environment).map(([key, value]) => `  ${key}: ${String(value)}`),
    '',
    'path                               frames  median ms  p95 ms  speech found  extra  start err med/max ms  end err med/max ms',
    ...rows.map(
      (row) =>
        `${row.path.padEnd(35)}${String(row.frames).padStart(6)}  ${format(row.medianMs).padStart(9)}  ${format(row.p95Ms).padStart(6)}  ${row.found.padStart(12)}  ${String(row.extra).padStart(5)}  ${`${format(row.startMedianMs, 0)}/${format(row.startMaxMs, 0)}`.padStart(20)}  ${`${format(row.endMedianMs, 0)}/${format(row.endMaxMs, 0)}`.padStart(18)}`,
    ),
    '',
    `ratio ours/vad-web per-frame: median ${format(ours.medianMs / peer.medianMs, 2)}, p95 ${format(ours.p95Ms / peer.p95Ms, 2)}`,
  ];
  console.log(lines.join('\n'));
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/vad.json', JSON.stringify({ environment, rows, clips: result.clips, ours: result.ours.segments, peer: result.peer.segments }, null, 2));
});
