/**
 * The reference's command line, in and out: a user pastes `speech-to-speech serve --stt whisper ...`
 * (or `local`, or `talk --url ws://...` for a Realtime server) and the settings take it, with the
 * reference's parsing rules; the current settings come back out as the equivalent command line
 * (only what differs from the defaults, never an API key).
 */
import { parse as parseShell } from 'shell-quote';
import { SettingsImport, arityOf, defaultsKeepingSecrets, resolveFlag, type ImportResult, type Resolution } from './importer';
import { flagsDifferingFromDefaults } from './exportedFlags';
import { entryOf, type Settings } from './schema';
import { TALK_FLAGS, TALK_KEYS, talkFlagOf } from './talkFlags';
import { showValue } from './valueTypes';

/** The program and command an exported command line starts with. */
export const COMMAND_PREFIX = 'speech-to-speech serve';
export const TALK_PREFIX = 'speech-to-speech talk';

/**
 * A shell line continuation (backslash, newline) outside quotes is a space. Escapes and quoted
 * text are matched first so a backslash inside them stays as it is.
 */
const CONTINUATION_OR_QUOTED = /\\\r?\n|\\[\s\S]|'[^']*'|"(?:\\[\s\S]|[^"\\])*"/g;

type Tokens = { readonly ok: true; readonly tokens: readonly string[] } | { readonly ok: false; readonly error: string };

/** Splits a pasted command line into words the way a POSIX shell would. */
function tokenize(line: string, variableMark: string): Tokens {
  const joined = line.replace(CONTINUATION_OR_QUOTED, (match) => (/^\\\r?\n$/.test(match) ? ' ' : match));
  // Shell variables cannot be read from a web page: mark them so the flag that uses one can say so.
  let parsed: ReturnType<typeof parseShell>;
  try {
    parsed = parseShell(joined, (name) => `${variableMark}${name}${variableMark}`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return { ok: false, error: `The command line is not valid shell syntax (${reason}). Check its quotes and $ signs.` };
  }
  const tokens: string[] = [];
  for (const item of parsed) {
    if (typeof item === 'string') tokens.push(item);
    else if ('comment' in item) break;
    else if ('op' in item && item.op === 'glob') tokens.push(item.pattern);
    else {
      const operator = 'op' in item ? item.op : JSON.stringify(item);
      return { ok: false, error: `The command line contains the shell operator ${showValue(operator)}: paste a single speech-to-speech command.` };
    }
  }
  return { ok: true, tokens };
}

/** argparse treats "-5" and "-.5" as values, any other word starting with "-" as an option. */
const looksLikeOption = (token: string) => token.startsWith('-') && !/^-(\d|\.\d|inf)/i.test(token);

/** The reference's commands (`speech-to-speech serve|local|talk`). */
export type Command = 'serve' | 'local' | 'talk';
const COMMANDS: readonly string[] = ['serve', 'local', 'talk'];
/** The reference's deprecated `--mode` values, and the command each one now is. */
const LEGACY_MODES: Readonly<Record<string, Command>> = { realtime: 'serve', local: 'local' };

/** How one flag of the line is read: what it sets, and whether it takes a value. */
interface ReadFlag {
  readonly resolution: Resolution;
  readonly arity: 'value' | 'bool' | 'none' | 'unknown';
}

/** A pipeline flag (`serve`, `local`, or no command), with the reference's spelling rules. */
function readPipelineFlag(written: string): ReadFlag {
  const resolution = resolveFlag(written);
  return { resolution, arity: arityOf(resolution) };
}

/** A `talk` flag: argparse's rules, so hyphens only and switches without a value. */
function readTalkFlag(written: string): ReadFlag {
  const flag = TALK_FLAGS.get(written);
  if (flag?.kind === 'setting') return { resolution: { kind: 'setting', key: flag.key, negated: false }, arity: flag.switch ? 'none' : 'value' };
  if (flag?.kind === 'terminal') {
    return { resolution: { kind: 'reference', name: written, flag: { arity: flag.switch ? 'bool' : 'value', why: `in the page, ${flag.instead}` }, negated: false }, arity: flag.switch ? 'none' : 'value' };
  }
  const hyphenated = written.replaceAll('_', '-');
  if (TALK_FLAGS.has(hyphenated)) return { resolution: { kind: 'unknown', hint: `write it --${hyphenated}: the talk client’s flags use hyphens` }, arity: 'unknown' };
  const known = [...TALK_FLAGS.keys()].map((name) => `--${name}`).join(', ');
  return { resolution: { kind: 'unknown', hint: `it is not a flag of speech-to-speech talk (${known}).` }, arity: 'unknown' };
}

/**
 * Which command the words before the first flag name ("speech-to-speech talk", "uv run
 * speech-to-speech serve"), or the reference's deprecated `--mode`, which is taken out of the
 * flags. No command at all (an older "python s2s_pipeline.py --stt whisper") is the pipeline's.
 */
function commandOf(program: readonly string[], flags: string[], job: SettingsImport): Command {
  const named = program.find((word) => COMMANDS.includes(word)) as Command | undefined;
  const modeAt = flags.findIndex((token) => token === '--mode' || token.startsWith('--mode='));
  if (modeAt < 0) return named ?? 'serve';
  const token = flags[modeAt] as string;
  const inline = token.startsWith('--mode=');
  const value = inline ? token.slice('--mode='.length) : flags[modeAt + 1];
  flags.splice(modeAt, inline || value === undefined || looksLikeOption(value) ? 1 : 2);
  if (named) {
    job.error(`--mode is the reference’s old way to choose a command, and this line already names one (${named}): remove --mode.`);
    return named;
  }
  if (value === undefined || value === '' || looksLikeOption(value)) {
    job.error('--mode requires a value: realtime or local.');
    return 'serve';
  }
  const legacy = LEGACY_MODES[value];
  if (!legacy) {
    job.error(`--mode ${showValue(value)} is no longer supported; only 'realtime' and 'local' remain temporarily. Use 'speech-to-speech serve' or 'speech-to-speech local' instead.`);
    return 'serve';
  }
  job.warn(`'--mode ${value}' is deprecated and will stop working soon; use 'speech-to-speech ${legacy}' instead. It was taken as ${legacy}.`);
  if (flags.some((token) => token === '--mode' || token.startsWith('--mode='))) job.error('--mode may only be specified once.');
  return legacy;
}

/**
 * Where an import of `command` starts from. A pipeline line (serve, local) sets every pipeline
 * setting (the rest back to defaults, API keys kept) and leaves the talk client's as they are; a
 * talk line sets the client's (the rest of them back to defaults) and leaves the pipeline's.
 */
function importBase(command: Command, current: Settings): Settings {
  const defaults = defaultsKeepingSecrets(current);
  const base = command === 'talk' ? { ...current } : defaults;
  const kept = command === 'talk' ? defaults : current;
  for (const key of TALK_KEYS) (base as Record<string, unknown>)[key] = kept[key];
  return base;
}

/**
 * Imports a reference command line: `serve` and `local` configure the pipeline in the page,
 * `talk` the page as the client of a Realtime server. The result is every flag of the line
 * applied (see `importBase` for the rest), or every error in the line.
 */
export function importCommandLine(line: string, current: Settings): ImportResult {
  const variableMark = `\u{E000}${Math.random().toString(36).slice(2)}\u{E000}`;
  const tokenized = tokenize(line, variableMark);
  if (!tokenized.ok) return { ok: false, errors: [tokenized.error], warnings: [] };
  const { tokens } = tokenized;
  if (tokens.length === 0) return { ok: false, errors: ['The command line is empty: paste a speech-to-speech command, such as speech-to-speech serve --stt whisper.'], warnings: [] };

  // Everything before the first --flag is the program and its command: "speech-to-speech serve",
  // "python s2s_pipeline.py", "uv run ...", environment assignments.
  let firstFlag = tokens.findIndex((token) => token.startsWith('--'));
  if (firstFlag < 0) firstFlag = tokens.length;
  const program = tokens.slice(0, firstFlag);
  const flags = tokens.slice(firstFlag);
  const notes = new SettingsImport(current, (name) => `--${name}`);
  const command = commandOf(program, flags, notes);
  const job = new SettingsImport(importBase(command, current), (name) => `--${name}`);
  job.absorb(notes);
  job.assign('pipeline', { kind: 'setting', key: 'pipeline', negated: false }, { text: command === 'talk' ? 'realtime' : 'local' });
  if (tokens.length === 1 && /\.json$/i.test(tokens[0] as string)) {
    job.error(`${showValue(tokens[0])} is a JSON config path: a web page cannot read files by path. Use "Import JSON or YAML" and choose the file.`);
  }
  const read = command === 'talk' ? readTalkFlag : readPipelineFlag;

  let index = 0;
  while (index < flags.length) {
    const token = flags[index++] as string;
    if (!token.startsWith('--') || token === '--') {
      job.error(`${showValue(token)} is not a flag: write each setting as --name value.`);
      continue;
    }
    const equals = token.indexOf('=');
    const written = equals < 0 ? token.slice(2) : token.slice(2, equals);
    const inline = equals < 0 ? undefined : token.slice(equals + 1);
    const { resolution, arity } = read(written);
    const next = flags[index];
    let value = inline;
    if (arity === 'none') {
      if (inline !== undefined) {
        job.error(`--${written} takes no value.`);
        continue;
      }
    } else if (value === undefined && next !== undefined && !looksLikeOption(next)) {
      // A boolean takes the next word if it is not a flag, as argparse's nargs='?' does; so does a
      // flag nobody knows, so its value is not reported as a second mistake.
      value = next;
      index++;
    }
    if (value?.includes(variableMark)) {
      const variable = value.split(variableMark)[1] ?? '';
      job.error(`--${written} uses the shell variable $${variable}: this page cannot read your environment, so paste its value instead.`);
      continue;
    }
    job.assign(written, resolution, value === undefined ? { absent: true } : { text: value });
  }
  const result = job.finish();
  return result.ok && command === 'talk' ? { ...result, others: 'the Realtime client’s others at their defaults, the pipeline’s settings as they were' } : result;
}

/**
 * POSIX single quoting, which every shell and shell-quote's parser read back unchanged
 * (shell-quote's own quote() escapes backticks in a way its parser does not undo).
 */
function shellWord(word: string): string {
  return /^[A-Za-z0-9_/.:,+=@%-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

/** One flag and its value, quoted for a POSIX shell. Values starting with "-" use --flag=value, as argparse needs. */
function flagWithValue(name: string, value: string): string {
  return value.startsWith('-') ? shellWord(`--${name}=${value}`) : `--${name} ${shellWord(value)}`;
}

/**
 * The settings as a reference command line: a `talk` line when a Realtime server runs the
 * pipeline, else a `serve` line; only what differs from the defaults, never an API key.
 */
export function exportCommandLine(settings: Settings): string {
  if (settings.pipeline === 'realtime') {
    const words = flagsDifferingFromDefaults(settings).flatMap(({ key, text }) => {
      const flag = talkFlagOf(key);
      if (!flag) return [];
      if (flag.switch) return text === 'true' ? [`--${flag.name}`] : [];
      return [flagWithValue(flag.name, text)];
    });
    return [TALK_PREFIX, ...words].join(' ');
  }
  const words = flagsDifferingFromDefaults(settings)
    .filter(({ key }) => key !== 'pipeline' && !TALK_KEYS.includes(key))
    .map(({ key, name, text }) => {
      if (entryOf(key).type.kind !== 'bool') return flagWithValue(name, text);
      return text === 'true' ? `--${name}` : `--no_${name}`;
    });
  return [COMMAND_PREFIX, ...words].join(' ');
}
