/**
 * Microphone clips for end-to-end tests, made from the espeak-ng sentences in shared/models, and
 * where the speech in each one really is (from its waveform).
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { concatSamples } from '../src/audio/concatSamples';
import { decodeWav, encodeWav } from '../src/audio/wav';
import { speechSpans } from '../bench/speechTruth';
import { SHARED_MODELS } from './paths';
const SAMPLE_RATE = 16_000;
const folder = join(tmpdir(), 'speech-to-speech-e2e-clips');
mkdirSync(folder, { recursive: true });

export interface Clip {
  readonly path: string;
  /** Where speech is, in ms from the start of the clip. */
  readonly speech: readonly { readonly startMs: number; readonly endMs: number }[];
}

function sentence(name: string): Float32Array {
  return decodeWav(readFileSync(join(SHARED_MODELS, 'test-audio', `${name}.wav`))).samples;
}

function save(name: string, samples: Float32Array): Clip {
  const path = join(folder, `${name}.wav`);
  writeFileSync(path, encodeWav(samples, SAMPLE_RATE));
  return { path, speech: speechSpans(samples) };
}

/** A sentence, then a pause of `pauseS` seconds of silence between the two speeches, then another. */
export function twoSentences(first: string, second: string, pauseS: number): Clip {
  const a = sentence(first);
  const b = sentence(second);
  const [aSpan] = speechSpans(a);
  const [bSpan] = speechSpans(b);
  if (!aSpan || !bSpan) throw new Error('a test sentence has no speech');
  const aEnd = Math.round(aSpan.endMs * 16);
  const bStart = Math.round(bSpan.startMs * 16);
  const samples = concatSamples([a.subarray(0, aEnd), new Float32Array(Math.round(pauseS * SAMPLE_RATE)), b.subarray(bStart)]);
  return save(`${first}-${pauseS}s-${second}`, samples);
}

/**
 * One shared sentence with `pauseS` of silence inserted at `atS` (between two of its words): a
 * pause inside a sentence, where a soft end falls and the turn then reopens.
 */
export function pausedSentence(name: string, atS: number, pauseS: number): Clip {
  const samples = sentence(name);
  const at = Math.round(atS * SAMPLE_RATE);
  return save(`${name}-paused-${atS}s-${pauseS}s`, concatSamples([samples.subarray(0, at), new Float32Array(Math.round(pauseS * SAMPLE_RATE)), samples.subarray(at)]));
}

/** The clip after `seconds` of silence (time for the page to load its models before anyone speaks). */
export function afterSilence(clip: Clip, seconds: number): Clip {
  const samples = decodeWav(readFileSync(clip.path)).samples;
  const lead = Math.round(seconds * 1000);
  const name = clip.path.split('/').pop()?.replace(/\.wav$/, '') ?? 'clip';
  const saved = save(`${seconds}s-then-${name}`, concatSamples([new Float32Array(Math.round(seconds * SAMPLE_RATE)), samples]));
  return { path: saved.path, speech: clip.speech.map((span) => ({ startMs: span.startMs + lead, endMs: span.endMs + lead })) };
}

export function shared(name: string): Clip {
  return save(name, sentence(name));
}

/** This repository's 45 s turn (e2e/fixtures/speech/long-turn.wav) and its text. */
export function longTurn(): Clip & { text: string } {
  const folder = join(import.meta.dirname, 'fixtures', 'speech');
  return { ...save('long-turn', decodeWav(readFileSync(join(folder, 'long-turn.wav'))).samples), text: readFileSync(join(folder, 'long-turn.txt'), 'utf8').trim() };
}

/** Seconds of room noise at about -70 dBFS (deterministic), with no speech in it. */
export function silence(seconds: number): Clip {
  let state = 1;
  const samples = Float32Array.from({ length: seconds * SAMPLE_RATE }, () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return (state / 2_147_483_648 - 0.5) * 0.0006;
  });
  return save(`silence-${seconds}s`, samples);
}

export interface Sentence {
  readonly text: string;
  readonly samples: Float32Array;
}

/** The shared clips' sentences (en-us), with their texts; `names` picks some. */
export function sharedSentences(names?: readonly string[]): Sentence[] {
  const manifest = JSON.parse(readFileSync(join(SHARED_MODELS, 'test-audio', 'manifest.json'), 'utf8')) as { file: string; text: string }[];
  return manifest
    .map(({ file, text }) => ({ name: file.replace(/\.wav$/, ''), text }))
    .filter(({ name }) => !names || names.includes(name))
    .map(({ name, text }) => ({ text, samples: sentence(name) }));
}

/** This repository's espeak-ng sentences in one voice (see e2e/fixtures/make-speech-clips.sh). */
export function fixtureSentences(voice: 'en-us' | 'en-gb'): Sentence[] {
  const folder = join(import.meta.dirname, 'fixtures', 'speech');
  const manifest = JSON.parse(readFileSync(join(folder, 'manifest.json'), 'utf8')) as { name: string; text: string }[];
  return manifest.map(({ name, text }) => ({ text, samples: decodeWav(readFileSync(join(folder, `${voice}_${name}.wav`))).samples }));
}

/**
 * Sentences one after another, each whole (its own lead-in and tail kept: trimming would clip soft
 * onsets), with silence added so `pauseS` separates one's speech from the next's.
 */
export function spokenInTurns(name: string, sentences: readonly Sentence[], pauseS: number): Clip & { texts: string[] } {
  const parts: Float32Array[] = [];
  sentences.forEach(({ samples }, index) => {
    const [span] = speechSpans(samples);
    if (!span) throw new Error('a test sentence has no speech');
    const next = sentences[index + 1];
    const nextLeadMs = next ? (speechSpans(next.samples)[0]?.startMs ?? 0) : 0;
    const tailMs = samples.length / 16 - span.endMs;
    parts.push(samples, new Float32Array(Math.max(0, Math.round(((pauseS * 1000 - tailMs - nextLeadMs) * SAMPLE_RATE) / 1000))));
  });
  return { ...save(name, concatSamples(parts)), texts: sentences.map((entry) => entry.text) };
}

/** A clip of this repository spoken over a reply (e2e/fixtures/make-speech-clips.sh): `yeah` "Yeah, right.", `okay` "Okay, sure.", `mars` "Stop. Tell me about Mars instead.". */
export function overReply(name: 'yeah' | 'okay' | 'mars'): Sentence {
  const texts = { yeah: 'Yeah, right.', okay: 'Okay, sure.', mars: 'Stop. Tell me about Mars instead.' };
  return { text: texts[name], samples: decodeWav(readFileSync(join(import.meta.dirname, 'fixtures', 'speech', `over-reply_${name}.wav`))).samples };
}
