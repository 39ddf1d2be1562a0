/**
 * The reference's YAML configuration file (`schema_version: 1`, reusable `blocks` and named
 * `pipelines`, its docs/configuration.md): read with the `yaml` library under the reference's
 * rules (one document; no anchors, aliases, merge keys or tags; duplicate keys rejected; only
 * lowercase true/false/null and decimal numbers are not text), every block and pipeline checked,
 * then one pipeline the user picks becomes the page's settings, with the same validation and
 * errors as every other import. `{env: NAME}` values are asked of the user, never guessed.
 */
import { LineCounter, isAlias, isMap, isNode, isScalar, parseAllDocuments, stringify, visit, type Document } from 'yaml';
import { SettingsImport, defaultsKeepingSecrets, resolveFlag, type ImportResult } from './importer';
import { endpointOf, hostOf, type SecretKey } from './keyBinding';
import { SETTING_KEYS, defaultSettings, entryOf, isSettingKey, type GroupId, type SettingKey, type Settings } from './schema';
import { TALK_KEYS } from './talkFlags';
import { showValue, type GenKwargs, type JsonValue } from './valueTypes';

/** The reference's limits on a configuration file. */
const MAX_BYTES = 1024 * 1024;
const MAX_DEPTH = 32;
const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,63}$/;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
const KINDS = ['vad', 'stt', 'llm', 'tts'] as const;
type Kind = (typeof KINDS)[number];
/** The setting each block kind's backend selects (the VAD's is not a setting: Silero runs in the browser). */
const SELECTOR: Readonly<Record<Exclude<Kind, 'vad'>, SettingKey>> = { stt: 'stt', llm: 'llm_backend', tts: 'tts' };
const SELECTORS: readonly string[] = ['stt', 'llm_backend', 'tts', 'vad'];

/** A value of the file: a literal, or `{env: NAME}` to be asked of the user. */
type Value = { readonly literal: unknown } | { readonly env: string };

interface Block {
  readonly kind: Kind;
  readonly backend: string;
  readonly settings: ReadonlyMap<string, Value>;
}

/** An environment value a pipeline needs: which settings it becomes, and where it goes from there. */
export interface EnvironmentValue {
  readonly name: string;
  readonly settings: readonly string[];
  /** Where the value is sent, in words ("only to localhost:8000", "to the host OTHER_ENV names"); null where it stays in the page. */
  readonly sentTo: string | null;
}

export interface PipelineChoice {
  readonly name: string;
  /** The environment values it needs, asked of the user. */
  readonly env: readonly string[];
  /** The same, each with the settings it sets and where those send it. */
  readonly environment: readonly EnvironmentValue[];
  readonly stages: Readonly<Record<Kind, string>>;
}

export interface YamlConfig {
  readonly blocks: ReadonlyMap<string, Block>;
  readonly pipelines: ReadonlyMap<string, { readonly stages: Readonly<Record<Kind, string>>; readonly options: ReadonlyMap<string, Value>; readonly numPipelines: Value | null }>;
  /** What the file configures that the page has no use for (the server, logging, the talk client). */
  readonly ignored: readonly string[];
}

export type YamlRead = { readonly ok: true; readonly config: YamlConfig; readonly pipelines: readonly PipelineChoice[] } | { readonly ok: false; readonly errors: readonly string[] };

/**
 * Reads and checks a configuration file; nothing is applied yet (see `importYamlPipeline`). Any
 * file ends in an answer: one the parser itself cannot take (nested past the stack) says so.
 */
export function readYamlConfig(source: string): YamlRead {
  try {
    return readChecked(source);
  } catch (error) {
    return fail(`The file could not be read as a configuration file (${error instanceof Error ? error.message : String(error)}): it may be malformed or nest too deeply. Nothing was changed.`);
  }
}

function readChecked(source: string): YamlRead {
  if (new TextEncoder().encode(source).length > MAX_BYTES) return fail('The file is larger than 1 MiB, the reference’s limit for a configuration file.');
  const lines = new LineCounter();
  const documents = parseAllDocuments(source, { schema: 'json', uniqueKeys: true, merge: false, lineCounter: lines });
  if (!Array.isArray(documents) || documents.length !== 1) return fail(`The file holds ${Array.isArray(documents) ? documents.length : 0} YAML documents; a configuration file is exactly one.`);
  const [document] = documents as [Document.Parsed];
  const at = (offset: number | undefined) => {
    const { line, col } = lines.linePos(offset ?? 0);
    return `line ${line}, column ${col}`;
  };
  // Plain words the JSON schema does not resolve stay text, as in the reference ("on", "yes", dates).
  const errors = document.errors.filter((error) => error.code !== 'TAG_RESOLVE_FAILED').map((error) => `${error.message.split('\n')[0] ?? error.message}.`);
  // The parser gives up on deep nesting once per level: one sentence says it.
  if (errors.some((error) => error.includes('Maximum call stack size exceeded'))) return fail(`The file nests too deeply to be read (the reference allows ${MAX_DEPTH} levels).`);
  visit(document, {
    Alias(_key, node) {
      errors.push(`${at(node.range?.[0])}: aliases (*${node.source}) are not allowed in a configuration file; write the value out.`);
    },
    Node(_key, node) {
      if (isNode(node) && node.anchor) errors.push(`${at(node.range?.[0])}: anchors (&${node.anchor}) are not allowed in a configuration file.`);
      if (isNode(node) && node.tag) errors.push(`${at(node.range?.[0])}: explicit tags (${node.tag}) are not allowed in a configuration file.`);
    },
    Pair(_key, pair) {
      if (isScalar(pair.key) && pair.key.value === '<<') errors.push(`${at(pair.key.range?.[0])}: merge keys (<<) are not allowed in a configuration file.`);
      if (isScalar(pair.key) && typeof pair.key.value !== 'string') errors.push(`${at(pair.key.range?.[0])}: a key must be text, not ${showValue(pair.key.value)}.`);
    },
  });
  if (errors.length > 0) return { ok: false, errors: listed(errors) };
  if (depth(document.contents) > MAX_DEPTH) return fail(`The file nests deeper than ${MAX_DEPTH} levels, the reference’s limit.`);
  if (!isMap(document.contents)) return fail('The file’s root must be a mapping, such as schema_version: 1.');
  return check(document.toJS() as Record<string, unknown>);
}

/** At most the first 20 errors, and how many more there are: a broken file is not a wall of text. */
function listed(errors: readonly string[]): string[] {
  return errors.length <= 20 ? [...errors] : [...errors.slice(0, 20), `… and ${errors.length - 20} more.`];
}

function fail(error: string): YamlRead {
  return { ok: false, errors: [error] };
}

function depth(node: unknown): number {
  if (isMap(node)) return 1 + Math.max(0, ...node.items.map((pair) => depth(pair.value)));
  if (isNode(node) && 'items' in node && Array.isArray(node.items)) return 1 + Math.max(0, ...(node.items as unknown[]).map(depth));
  return isAlias(node) ? 1 : 0;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

function value(raw: unknown, path: string, errors: string[]): Value {
  if (isRecord(raw) && 'env' in raw) {
    const name = raw.env;
    if (Object.keys(raw).length !== 1 || typeof name !== 'string' || !ENV_NAME.test(name)) {
      errors.push(`${path}: an environment value is written {env: NAME}, NAME as [A-Za-z_][A-Za-z0-9_]*.`);
    }
    return { env: String(name) };
  }
  return { literal: raw };
}

/** Checks the structure of the file and every literal value, as the reference's validate_config does (no environment is read). */
function check(root: Record<string, unknown>): YamlRead {
  const errors: string[] = [];
  const ignored: string[] = [];
  for (const key of Object.keys(root)) if (!['schema_version', 'runtime', 'blocks', 'pipelines'].includes(key)) errors.push(`${key}: not a part of a configuration file (schema_version, runtime, blocks, pipelines).`);
  if (root.schema_version !== 1) errors.push(`schema_version: must be the integer 1, not ${showValue(root.schema_version)}.`);
  if (root.runtime !== undefined) {
    if (!isRecord(root.runtime)) errors.push('runtime: must be a mapping.');
    else for (const key of Object.keys(root.runtime)) ignored.push(`runtime.${key}`);
  }
  const blocks = new Map<string, Block>();
  if (!isRecord(root.blocks) || Object.keys(root.blocks).length === 0) errors.push('blocks: must be a non-empty mapping of block ids to blocks.');
  else {
    for (const [id, raw] of Object.entries(root.blocks)) {
      const path = `blocks.${id}`;
      if (!NAME.test(id)) errors.push(`${path}: a block id is a letter, then up to 63 letters, digits, _ or -.`);
      if (!isRecord(raw)) {
        errors.push(`${path}: must be a mapping with kind, backend and settings.`);
        continue;
      }
      for (const key of Object.keys(raw)) if (!['kind', 'backend', 'settings'].includes(key)) errors.push(`${path}.${key}: a block has only kind, backend and settings.`);
      const kind = raw.kind as Kind;
      if (!KINDS.includes(kind)) errors.push(`${path}.kind: must be one of vad, stt, llm, tts, not ${showValue(raw.kind)}.`);
      if (typeof raw.backend !== 'string') errors.push(`${path}.backend: must be a backend name.`);
      if (raw.settings !== undefined && raw.settings !== null && !isRecord(raw.settings)) errors.push(`${path}.settings: must be a mapping of setting names to values.`);
      const settings = new Map<string, Value>();
      for (const [name, given] of Object.entries(isRecord(raw.settings) ? raw.settings : {})) {
        if (SELECTORS.includes(name)) errors.push(`${path}.settings.${name}: the block’s backend selects this; do not put ${name} in settings.`);
        else settings.set(name, value(given, `${path}.settings.${name}`, errors));
      }
      blocks.set(id, { kind, backend: String(raw.backend), settings });
    }
  }
  const pipelines = new Map<string, { stages: Record<Kind, string>; options: Map<string, Value>; numPipelines: Value | null }>();
  if (!isRecord(root.pipelines) || Object.keys(root.pipelines).length === 0) errors.push('pipelines: must be a non-empty mapping of pipeline names to pipelines.');
  else {
    for (const [name, raw] of Object.entries(root.pipelines)) {
      const path = `pipelines.${name}`;
      if (!NAME.test(name)) errors.push(`${path}: a pipeline name is a letter, then up to 63 letters, digits, _ or -.`);
      if (!isRecord(raw)) {
        errors.push(`${path}: must be a mapping with stages.`);
        continue;
      }
      for (const key of Object.keys(raw)) if (!['stages', 'options', 'num_pipelines'].includes(key)) errors.push(`${path}.${key}: a pipeline has only stages, options and num_pipelines.`);
      const stages = isRecord(raw.stages) ? raw.stages : {};
      if (!isRecord(raw.stages)) errors.push(`${path}.stages: must map vad, stt, llm and tts to blocks.`);
      for (const key of Object.keys(stages)) if (!(KINDS as readonly string[]).includes(key)) errors.push(`${path}.stages.${key}: the stages are exactly vad, stt, llm and tts.`);
      for (const kind of KINDS) {
        const id = stages[kind];
        const block = typeof id === 'string' ? blocks.get(id) : undefined;
        if (typeof id !== 'string') errors.push(`${path}.stages.${kind}: missing; name a block of kind ${kind}.`);
        else if (!block) errors.push(`${path}.stages.${kind}: there is no block ${showValue(id)}.`);
        else if (block.kind !== kind) errors.push(`${path}.stages.${kind}: block ${showValue(id)} is of kind ${block.kind}, not ${kind}.`);
      }
      if (raw.options !== undefined && !isRecord(raw.options)) errors.push(`${path}.options: must be a mapping.`);
      const options = new Map<string, Value>();
      for (const [option, given] of Object.entries(isRecord(raw.options) ? raw.options : {})) {
        if (SELECTORS.includes(option) || option === 'num_pipelines') errors.push(`${path}.options.${option}: not an option (${option === 'num_pipelines' ? 'it is the pipeline’s own num_pipelines' : 'the blocks select the backends'}).`);
        else options.set(option, value(given, `${path}.options.${option}`, errors));
      }
      let numPipelines: Value | null = null;
      if (raw.num_pipelines !== undefined) {
        numPipelines = value(raw.num_pipelines, `${path}.num_pipelines`, errors);
        if ('literal' in numPipelines && (typeof numPipelines.literal !== 'number' || !Number.isInteger(numPipelines.literal) || numPipelines.literal < 1)) {
          errors.push(`${path}.num_pipelines: must be a positive integer, not ${showValue(raw.num_pipelines)}.`);
        }
      }
      pipelines.set(name, { stages: stages as Record<Kind, string>, options, numPipelines });
    }
  }
  if (errors.length > 0) return { ok: false, errors };
  const config: YamlConfig = { blocks, pipelines, ignored };
  // Every block and pipeline is checked, also those not picked: their literal values, with empty environment values.
  for (const name of pipelines.keys()) {
    const result = importYamlPipeline(config, name, null, defaultSettings());
    if (!result.ok) errors.push(...result.errors.map((error) => `pipelines.${name}: ${error}`));
  }
  for (const [id, block] of blocks) {
    if ([...pipelines.values()].some((pipeline) => pipeline.stages[block.kind] === id)) continue;
    const job = new SettingsImport(defaultSettings(), (name) => `blocks.${id}.settings.${name}`);
    applyBlock(job, block, null);
    const result = job.finish();
    if (!result.ok) errors.push(...result.errors);
  }
  if (errors.length > 0) return { ok: false, errors: [...new Set(errors)] };
  const choices = [...pipelines].map(([name, pipeline]): PipelineChoice => {
    const named: [string, Value][] = [
      ...KINDS.flatMap((kind) => [...(blocks.get(pipeline.stages[kind])?.settings ?? [])]),
      ...pipeline.options,
      ...(pipeline.numPipelines ? [['num_pipelines', pipeline.numPipelines] as [string, Value]] : []),
    ];
    const env = [...new Set(named.flatMap(([, given]) => ('env' in given ? [given.env] : [])))];
    const literal = importYamlPipeline(config, name, null, defaultSettings());
    return { name, stages: pipeline.stages, env, environment: env.map((variable) => describeEnvironment(variable, named, literal.ok ? literal.settings : defaultSettings())) };
  });
  return { ok: true, config, pipelines: choices };
}

/** The setting a name in the file sets, if any. */
function settingOf(name: string): SettingKey | undefined {
  const resolution = resolveFlag(name);
  if (resolution.kind === 'setting' || resolution.kind === 'genOption') return resolution.key;
  return resolution.kind === 'reference' ? resolution.flag.mapsTo : undefined;
}

/**
 * Which settings an environment value sets, and where they send it: an API key only to its
 * endpoint (as the file names it, or as another environment value will), an address is itself
 * where things go, anything else stays in the page.
 */
function describeEnvironment(variable: string, named: readonly [string, Value][], literal: Settings): EnvironmentValue {
  const keys = named.flatMap(([name, given]) => ('env' in given && given.env === variable ? [settingOf(name) ?? name] : []));
  const sentTo = keys.flatMap((key): string[] => {
    if (!isSettingKey(key)) return [];
    const entry = entryOf(key);
    if (entry.keyFor !== undefined) {
      const endpoint = entry.keyFor;
      const fromEnvironment = named.find(([name, given]) => 'env' in given && settingOf(name) === endpoint)?.[1];
      if (fromEnvironment && 'env' in fromEnvironment) return [`only to the host that ${fromEnvironment.env} names (${endpoint})`];
      return [`only to ${hostOf(endpointOf(literal, key as SecretKey))} (${endpoint})`];
    }
    return entry.destination !== undefined ? [`the host it names receives ${entry.destination}`] : [];
  });
  return { name: variable, settings: keys, sentTo: sentTo.length > 0 ? sentTo.join('; ') : null };
}

/** A value given in the environment, as the reference reads it for the setting's type. */
function fromEnvironment(key: SettingKey, text: string): { text: string } | { json: unknown } {
  const kind = entryOf(key).type.kind;
  if (kind === 'bool') return { json: text === 'true' ? true : text === 'false' ? false : text };
  if (kind === 'int' || kind === 'float') return /^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text) ? { json: Number(text) } : { json: text };
  return { json: text };
}

function applyValue(job: SettingsImport, name: string, given: Value, env: Readonly<Record<string, string>> | null): void {
  const resolution = resolveFlag(name);
  if (resolution.kind === 'unknown' || ((resolution.kind === 'setting' || resolution.kind === 'reference') && resolution.negated)) {
    job.assign(name, { kind: 'unknown', ...(resolution.kind === 'unknown' ? resolution : {}) }, { absent: true });
    return;
  }
  if ('env' in given) {
    // Checking the file alone: the value is asked for later.
    if (env === null) return;
    const text = env[given.env];
    if (text === undefined) {
      job.error(`${name} needs the value of ${given.env}: enter it to import this pipeline.`);
      return;
    }
    const key = resolution.kind === 'setting' || resolution.kind === 'genOption' ? resolution.key : resolution.flag.mapsTo;
    job.assign(name, resolution, key ? fromEnvironment(key, text) : { text });
    return;
  }
  // The reference's one exception: a null max_speech_ms is unbounded.
  if (name === 'max_speech_ms' && given.literal === null) {
    job.assign(name, resolution, { json: 'inf' });
    return;
  }
  job.assign(name, resolution, typeof given.literal === 'string' && resolution.kind === 'reference' ? { text: given.literal } : { json: given.literal });
}

function applyBlock(job: SettingsImport, block: Block, env: Readonly<Record<string, string>> | null): void {
  if (block.kind === 'vad') {
    if (block.backend !== 'silero') job.error(`the vad backend ${showValue(block.backend)} does not run in a browser; use silero.`);
  } else {
    job.assign(SELECTOR[block.kind], { kind: 'setting', key: SELECTOR[block.kind], negated: false }, { json: block.backend });
  }
  for (const [name, given] of block.settings) applyValue(job, name, given, env);
}

/**
 * The settings of one pipeline of the file: the defaults (API keys and the Realtime client's
 * settings kept) with its blocks and options applied. `env` holds the values the user entered for
 * its `{env: NAME}` references (null: only check the literals).
 */
export function importYamlPipeline(config: YamlConfig, name: string, env: Readonly<Record<string, string>> | null, current: Settings): ImportResult {
  const pipeline = config.pipelines.get(name);
  if (!pipeline) return { ok: false, errors: [`The file has no pipeline ${showValue(name)}.`], warnings: [] };
  const base = defaultsKeepingSecrets(current);
  for (const key of TALK_KEYS) (base as Record<string, unknown>)[key] = current[key];
  const job = new SettingsImport(base, (setting) => setting);
  job.assign('pipeline', { kind: 'setting', key: 'pipeline', negated: false }, { json: 'local' });
  for (const kind of KINDS) {
    const block = config.blocks.get(pipeline.stages[kind]);
    if (block) applyBlock(job, block, env);
  }
  for (const [option, given] of pipeline.options) applyValue(job, option, given, env);
  if (pipeline.numPipelines) job.warn('num_pipelines was ignored: the page is one pipeline for one user.');
  for (const part of config.ignored) job.warn(`${part} was ignored: it configures the reference’s server or its terminal client, which have no meaning in a page.`);
  const result = job.finish();
  return result.ok ? { ...result, others: `the other settings at their defaults (pipeline ${name})` } : result;
}

/** Which block of a one-pipeline file a setting is written in: by its section of the settings panel. */
const BLOCK_OF_GROUP: Readonly<Record<GroupId, Kind | 'options' | null>> = { assistant: 'llm', pipeline: 'options', realtime: null, listening: 'vad', stt: 'stt', llm: 'llm', tts: 'tts' };
/** Assistant settings that are the page's own, not the language model's: pipeline options. */
const PAGE_OPTIONS: readonly SettingKey[] = ['push_to_talk', 'thinking_cue', 'thinking_cue_after_ms', 'backchannel_max_words', 'backchannel_max_ms'];

/**
 * The settings as a configuration file of one pipeline (`main`): each block with the settings of
 * its stage that differ from the defaults, never an API key. It reads back as these settings.
 */
export function exportYamlConfig(settings: Settings): string {
  const defaults = defaultSettings();
  const parts: Record<Kind | 'options', Record<string, JsonValue>> = { vad: {}, stt: {}, llm: {}, tts: {}, options: {} };
  for (const key of SETTING_KEYS) {
    const entry = entryOf(key);
    const where = PAGE_OPTIONS.includes(key) ? 'options' : BLOCK_OF_GROUP[entry.group];
    if (entry.secret || where === null || SELECTORS.includes(key) || key === 'pipeline' || entry.type.equals(settings[key], defaults[key])) continue;
    if (entry.genPrefix !== undefined) {
      for (const [option, optionValue] of Object.entries(settings[key] as GenKwargs)) parts[where][`${entry.genPrefix}${option}`] = optionValue;
    } else parts[where][key] = entry.type.toJson(settings[key]);
  }
  const block = (kind: Kind, backend: string) => ({ kind, backend, ...(Object.keys(parts[kind]).length > 0 ? { settings: parts[kind] } : {}) });
  const document = {
    schema_version: 1,
    blocks: { vad_main: block('vad', 'silero'), stt_main: block('stt', settings.stt), llm_main: block('llm', settings.llm_backend), tts_main: block('tts', settings.tts) },
    pipelines: { main: { stages: { vad: 'vad_main', stt: 'stt_main', llm: 'llm_main', tts: 'tts_main' }, ...(Object.keys(parts.options).length > 0 ? { options: parts.options } : {}) } },
  };
  // Written without anchors or tags, which the reference refuses; strings that look like other types are quoted.
  return `# A speech-to-speech configuration file (the reference's docs/configuration.md) with one pipeline.\n${stringify(document, { aliasDuplicateObjects: false, lineWidth: 0 })}`;
}
