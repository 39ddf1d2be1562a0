/**
 * Applies named values to settings, with the reference's naming rules, for every importer (command
 * line, JSON file, URL). It collects every error and warning instead of stopping at the first, so
 * the user sees everything wrong at once; an import with any error changes nothing.
 */
import { DEFAULT_WEB_LLM_MODEL, foreignFormat, isWebLlmModel, webLlmBuildOf } from './modelIds';
import { modelIdProblem } from './modelPaths';
import { REFERENCE_FLAGS, renamedFlag, type ReferenceFlag } from './referenceFlags';
import {
  GEN_KWARGS_KEYS,
  SETTING_KEYS,
  defaultSettings,
  describeAppliesTo,
  entryOf,
  isActive,
  type SettingKey,
  type Settings,
} from './schema';
import { GEN_NAME_PATTERN, bool, genValueFromText, type JsonValue, type ParseResult } from './valueTypes';

export type ImportResult =
  | {
      readonly ok: true;
      readonly settings: Settings;
      readonly warnings: readonly string[];
      readonly changed: readonly SettingKey[];
      /** What became of the settings the import did not name, where it is not "all others at their defaults". */
      readonly others?: string;
    }
  | { readonly ok: false; readonly errors: readonly string[]; readonly warnings: readonly string[] };

/** What a flag name refers to. */
export type Resolution =
  | { readonly kind: 'setting'; readonly key: SettingKey; readonly negated: boolean; readonly renamedFrom?: string }
  | { readonly kind: 'genOption'; readonly key: SettingKey; readonly option: string }
  | { readonly kind: 'reference'; readonly name: string; readonly flag: ReferenceFlag; readonly negated: boolean }
  | { readonly kind: 'unknown'; readonly suggestion?: string; readonly hint?: string };

const isBool = (key: SettingKey) => entryOf(key).type.kind === 'bool';
const isDefaultTrueBool = (key: SettingKey) => isBool(key) && entryOf(key).default === true;

/**
 * Resolves a flag as written (without its leading dashes): `a-b` and `a_b` alike, `no_<flag>` for
 * booleans that default to true (underscore only, as in the reference), the reference's renamed
 * flags, and `llm_gen_<name>` / `stt_gen_<name>` options.
 */
export function resolveFlag(written: string): Resolution {
  // The reference accepts this one flag only with hyphens.
  const exactReference = REFERENCE_FLAGS.get(written);
  if (written === 'mac-optimal-settings' && exactReference) return { kind: 'reference', name: written, flag: exactReference, negated: false };

  const name = written.replaceAll('-', '_');
  const direct = resolveName(name);
  if (direct) return direct;

  if (name.startsWith('no_')) {
    const base = resolveName(name.slice(3));
    const negatable =
      (base?.kind === 'setting' && isDefaultTrueBool(base.key)) || (base?.kind === 'reference' && base.flag.defaultTrue === true);
    if (base && negatable && (base.kind === 'setting' || base.kind === 'reference')) {
      if (!written.startsWith('no_')) return { kind: 'unknown', hint: `write it --no_${name.slice(3)} (with an underscore after no, as the reference does)` };
      return { ...base, negated: true };
    }
  }
  return { kind: 'unknown', ...suggest(name) };
}

function resolveName(name: string): Resolution | undefined {
  if (isKnownSetting(name)) return { kind: 'setting', key: name, negated: false };
  for (const key of GEN_KWARGS_KEYS) {
    const prefix = entryOf(key).genPrefix as string;
    const option = name.slice(prefix.length);
    if (name.startsWith(prefix) && GEN_NAME_PATTERN.test(option)) return { kind: 'genOption', key, option };
  }
  const flag = REFERENCE_FLAGS.get(name);
  if (flag) return { kind: 'reference', name, flag, negated: false };
  const renamed = renamedFlag(name);
  if (renamed !== undefined) {
    const target = resolveName(renamed);
    if (target?.kind === 'setting') return { ...target, renamedFrom: name };
    if (target) return target;
  }
  return undefined;
}

function isKnownSetting(name: string): name is SettingKey {
  return (SETTING_KEYS as readonly string[]).includes(name);
}

const ALL_NAMES = [...SETTING_KEYS, ...REFERENCE_FLAGS.keys()];

/** The closest known name, so a typo gets a "did you mean". */
function suggest(name: string): { suggestion?: string } {
  let best: string | undefined;
  let bestDistance = Math.max(3, Math.floor(name.length / 3)) + 1;
  for (const candidate of ALL_NAMES) {
    const distance = editDistance(name, candidate, bestDistance);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best === undefined ? {} : { suggestion: best };
}

/** Levenshtein distance, giving up (returning `limit`) once it cannot be under `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) >= limit) return limit;
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let rowMin = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, (previous[j - 1] as number) + cost);
      current.push(value);
      rowMin = Math.min(rowMin, value);
    }
    if (rowMin >= limit) return limit;
    previous = current;
  }
  return Math.min(previous[b.length] as number, limit);
}

/** Whether a resolved flag takes a value (`value`), may take one (`bool`), or takes none. */
export function arityOf(resolution: Resolution): 'value' | 'bool' | 'none' | 'unknown' {
  switch (resolution.kind) {
    case 'setting':
      if (resolution.negated) return 'none';
      return isBool(resolution.key) ? 'bool' : 'value';
    case 'genOption':
      return 'value';
    case 'reference':
      return resolution.negated ? 'none' : resolution.flag.arity;
    case 'unknown':
      return 'unknown';
  }
}

/** A value given to a flag: text (command line, URL) or JSON (a config file). */
export type GivenValue = { readonly text: string } | { readonly json: unknown } | { readonly absent: true };

/**
 * Collects named values onto a copy of `base` settings. `label` writes a name the way the user
 * wrote it (`--thresh`, `thresh=`, `"thresh"`), so messages point at their own input.
 */
export class SettingsImport {
  private readonly settings: Settings;
  private readonly changed = new Set<SettingKey>();
  private readonly errors: string[] = [];
  private readonly warnings: string[] = [];
  /** The reference's --mac-optimal-settings was given: its backend and model, unless named too. */
  private macPreset = false;

  constructor(
    base: Settings,
    private readonly label: (name: string) => string,
  ) {
    this.settings = structuredClone(base);
  }

  error(message: string): void {
    this.errors.push(message);
  }

  warn(message: string): void {
    this.warnings.push(message);
  }

  /** Takes over the errors and warnings another import collected (about the line as a whole). */
  absorb(other: SettingsImport): void {
    this.errors.push(...other.errors);
    this.warnings.push(...other.warnings);
  }

  /** Applies one value to what `written` resolves to. */
  assign(written: string, resolution: Resolution, given: GivenValue): void {
    const label = this.label(written);
    switch (resolution.kind) {
      case 'unknown': {
        const hint = resolution.hint ?? (resolution.suggestion ? `did you mean ${this.label(resolution.suggestion)}?` : 'it is not a setting of this app or a flag of the reference.');
        this.error(`${label} is not a known setting: ${hint}`);
        return;
      }
      case 'reference':
        this.assignReference(label, resolution, given);
        return;
      case 'genOption':
        this.assignGenOption(label, resolution.key, resolution.option, given);
        return;
      case 'setting':
        if (resolution.renamedFrom !== undefined) {
          this.warn(`${label} is the reference’s old name of ${this.label(resolution.key)}; it was taken as that.`);
        }
        this.assignSetting(label, resolution.key, resolution.negated ? { json: false } : given);
        return;
    }
  }

  private assignSetting(label: string, key: SettingKey, given: GivenValue): void {
    const type = entryOf(key).type;
    let result: ParseResult<unknown>;
    if ('absent' in given) {
      if (type.kind !== 'bool') {
        this.error(`${label} needs a value (${type.allowed}).`);
        return;
      }
      result = { ok: true, value: true };
    } else {
      result = 'text' in given ? type.fromText(given.text) : type.fromJson(given.json);
    }
    if (!result.ok) {
      this.error(`${label}: ${result.error}.`);
      return;
    }
    if (result.warning !== undefined) this.warn(`${label}: ${result.warning}.`);
    (this.settings as Record<string, unknown>)[key] = result.value;
    this.changed.add(key);
  }

  private assignGenOption(label: string, key: SettingKey, option: string, given: GivenValue): void {
    if ('absent' in given) {
      this.error(`${label} needs a value.`);
      return;
    }
    let value: JsonValue;
    if ('text' in given) {
      value = genValueFromText(given.text);
    } else {
      const checked = entryOf(key).type.fromJson({ [option]: given.json });
      if (!checked.ok) {
        this.error(`${label}: ${checked.error}.`);
        return;
      }
      value = (checked.value as Record<string, JsonValue>)[option] as JsonValue;
    }
    const current = this.settings[key as 'llm_gen_kwargs'];
    const merged = entryOf(key).type.fromJson({ ...current, [option]: value });
    if (!merged.ok) {
      this.error(`${label}: ${merged.error}.`);
      return;
    }
    (this.settings as Record<string, unknown>)[key] = merged.value;
    this.changed.add(key);
  }

  private assignReference(label: string, resolution: Extract<Resolution, { kind: 'reference' }>, given: GivenValue): void {
    const { flag } = resolution;
    if (resolution.name === 'mac-optimal-settings') {
      const on = 'absent' in given ? true : 'text' in given ? bool().fromText(given.text) : bool().fromJson(given.json);
      if (on === true || (on.ok && on.value)) {
        this.macPreset = true;
        return;
      }
    }
    if (flag.arity === 'bool' && 'text' in given && !resolution.negated) {
      const parsed = bool().fromText(given.text);
      if (!parsed.ok) {
        this.error(`${label}: ${parsed.error}.`);
        return;
      }
    }
    if (flag.mapsTo === undefined) {
      this.warn(`${label} was ignored: ${flag.why}.`);
      return;
    }
    let mapped: GivenValue = given;
    if (flag.mapValue && 'text' in given) {
      const value = flag.mapValue(given.text);
      if (value === undefined) {
        this.warn(`${label} ${JSON.stringify(given.text)} was ignored: it has no browser equivalent (${flag.why}).`);
        return;
      }
      mapped = { text: value };
    }
    this.warn(`${label} was taken as ${this.label(flag.mapsTo)}: ${flag.why}.`);
    this.assignSetting(label, flag.mapsTo, mapped);
  }

  /** The imported settings, or every error found. Warns about settings that have no effect now. */
  finish(): ImportResult {
    if (this.errors.length > 0) return { ok: false, errors: this.errors, warnings: this.warnings };
    this.applyMacPreset();
    this.mapModelId();
    for (const key of this.changed) {
      if (!isActive(key, this.settings)) {
        this.warn(`${this.label(key)} has no effect now: it applies when ${describeAppliesTo(key)}. It was kept for when you switch.`);
      }
    }
    return { ok: true, settings: this.settings, warnings: this.warnings, changed: [...this.changed] };
  }

  private applyMacPreset(): void {
    if (!this.macPreset) return;
    const backend = !this.changed.has('llm_backend');
    const model = !this.changed.has('model_name') && (backend || this.settings.llm_backend === 'web-llm');
    if (backend) this.set('llm_backend', 'web-llm');
    if (model) this.set('model_name', MAC_PRESET_MODEL);
    this.warn(macPresetNote(backend, model));
  }

  /** The reference's model ids, made to run: web-llm's build of the same model, or what to pick. */
  private mapModelId(): void {
    const { llm_backend: backend, model_name: model } = this.settings;
    if (model === null || !(this.changed.has('model_name') || this.changed.has('llm_backend'))) return;
    if (backend === 'web-llm' && !isWebLlmModel(model)) {
      const mapping = webLlmBuildOf(model);
      if (!mapping) {
        this.warn(`model_name ${JSON.stringify(model)} is not in web-llm’s list, and web-llm has no build of that model: it would fail to load. Choose one of web-llm’s models under Language model in the settings (empty: ${DEFAULT_WEB_LLM_MODEL}).`);
        return;
      }
      this.set('model_name', mapping.modelId);
      const others = mapping.builds.filter((build) => build.model_id !== mapping.modelId).map((build) => build.model_id);
      this.warn(
        `model_name ${JSON.stringify(model)} is not a web-llm model: the browser runs ${mapping.modelId}, web-llm’s build of the same model${others.length > 0 ? ` (its other builds: ${others.join(', ')}; q4f32 is used by itself on a GPU without shader-f16)` : ''}. Choose another under Language model in the settings.`,
      );
    } else if (backend === 'transformers') {
      const format = foreignFormat(model);
      // Downloaded from the models location: an id, never an address (see modelPaths); the load refuses it too.
      const address = modelIdProblem(model);
      if (address !== undefined) this.warn(`model_name ${JSON.stringify(model)} ${address}. transformers.js would not load it: enter a model id.`);
      else if (format) this.warn(`model_name ${JSON.stringify(model)} is ${format}, which transformers.js cannot load: under Language model in the settings, Find ONNX builds lists the ONNX builds of its base model on the hub, or choose llm_backend web-llm.`);
      else if (!/^(onnx-community|Xenova)\//.test(model) && !/-onnx$/i.test(model)) {
        this.warn(`model_name ${JSON.stringify(model)}: transformers.js loads ONNX weights only, and most repositories have none (the reference’s PyTorch models do not). Under Language model in the settings, Find ONNX builds checks it on the hub and lists the ONNX builds of it with their sizes.`);
      }
    }
  }

  private set<K extends SettingKey>(key: K, value: Settings[K]): void {
    this.settings[key] = value;
    this.changed.add(key);
  }
}



/** The browser's part of the reference's macOS preset: the local GPU backend and the preset's model, where the line names neither. */
function macPresetNote(backend: boolean, model: boolean): string {
  const set = [backend ? 'llm_backend web-llm (mlx-lm’s counterpart: compiled kernels on the local GPU)' : '', model ? `model_name ${MAC_PRESET_MODEL}` : ''].filter(Boolean).join(' and ');
  return `--mac-optimal-settings: the browser takes ${set || 'nothing from it (the line names the backend and the model)'}; the preset’s macOS speech backends have no browser build.`;
}

/** The model the reference's macOS preset defaults to. */
const MAC_PRESET_MODEL = 'mlx-community/Qwen3-4B-Instruct-2507-bf16';

/** Defaults, keeping the API keys of `current`: an import replaces settings, never the user's keys. */
export function defaultsKeepingSecrets(current: Settings): Settings {
  const settings = defaultSettings();
  for (const key of SETTING_KEYS) {
    if (entryOf(key).secret) (settings as Record<string, unknown>)[key] = current[key];
  }
  return settings;
}
