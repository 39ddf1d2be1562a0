import { useId, useState, type ReactNode } from 'react';
import { useSettings } from './pageContext';
import { entryOf, type SettingEffect, type SettingKey } from '../settings/schema';

/** When a change takes effect, as the panel says it. */
const EFFECT_TEXT: Record<SettingEffect, string> = {
  now: 'Applies at once.',
  'next-reply': 'Applies from the next reply.',
  'next-start': 'Applies when listening next starts.',
};

/**
 * One setting, drawn from its schema entry: the control fits its type, invalid input is shown
 * with the reason and never reaches the store, and the default is one click away.
 */
export function SettingField({ settingKey, extra }: { settingKey: SettingKey; extra?: ReactNode }) {
  const entry = entryOf(settingKey);
  const { type } = entry;
  const value = useSettings((state) => state.settings[settingKey]);
  const setSetting = useSettings((state) => state.setSetting);
  const resetSetting = useSettings((state) => state.resetSetting);
  // What the user is typing; null while the field shows the stored value.
  const [draft, setDraft] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const isDefault = type.equals(value, entry.default);

  const commit = (text: string) => {
    setDraft(text);
    const result = type.fromText(text);
    if (result.ok) {
      setError(null);
      if (!type.equals(result.value, value)) setSetting(settingKey, result.value as never);
    } else {
      setError(result.error);
    }
  };
  const endEditing = () => {
    if (error === null) setDraft(null);
  };
  const reset = () => {
    setDraft(null);
    setError(null);
    resetSetting(settingKey);
  };

  const shown = draft ?? type.toText(value);
  const describedBy = `${id}-help${error ? ` ${id}-error` : ''}`;
  let control;
  if (type.kind === 'bool') {
    control = (
      <input id={id} type="checkbox" checked={value === true} onChange={(event) => setSetting(settingKey, event.target.checked as never)} aria-describedby={describedBy} />
    );
  } else if (type.values) {
    control = (
      <select id={id} value={shown} onChange={(event) => commit(event.target.value)} aria-describedby={describedBy}>
        {type.optional && <option value="">(default)</option>}
        {type.values.map((option) => (
          <option key={option} value={option}>
            {option}
          </option>
        ))}
      </select>
    );
  } else if (entry.multiline || type.kind === 'genKwargs') {
    control = (
      <textarea
        id={id}
        value={shown}
        rows={entry.multiline ? 5 : 2}
        spellCheck={entry.multiline === true}
        onChange={(event) => commit(event.target.value)}
        onBlur={endEditing}
        aria-invalid={error !== null}
        aria-describedby={describedBy}
        placeholder={type.kind === 'genKwargs' ? '{"top_p": 0.9}' : undefined}
      />
    );
  } else {
    const listId = entry.suggestions ? `${id}-suggestions` : undefined;
    control = (
      <input
        id={id}
        list={listId}
        type={entry.secret ? 'password' : 'text'}
        autoComplete="off"
        spellCheck={false}
        inputMode={type.kind === 'int' || type.kind === 'float' ? 'decimal' : undefined}
        value={shown}
        placeholder={type.optional ? 'default' : undefined}
        onChange={(event) => commit(event.target.value)}
        onBlur={endEditing}
        aria-invalid={error !== null}
        aria-describedby={describedBy}
      />
    );
    if (entry.suggestions) {
      control = (
        <>
          {control}
          <datalist id={listId}>
            {entry.suggestions.map((suggestion) => (
              <option key={suggestion.value} value={suggestion.value} label={suggestion.note} />
            ))}
          </datalist>
        </>
      );
    }
  }

  const defaultText = type.toText(entry.default);
  return (
    <div className={`setting setting-${type.kind}`} data-setting={settingKey}>
      <div className="setting-head">
        <label htmlFor={id}>
          {entry.label} <code>--{settingKey}</code>
        </label>
        <button type="button" className="setting-reset" onClick={reset} disabled={isDefault && error === null} aria-label={`Reset ${settingKey} to its default`}>
          Reset
        </button>
      </div>
      {control}
      {error && (
        <p id={`${id}-error`} className="setting-error" role="alert">
          {error}
        </p>
      )}
      {extra}
      <p id={`${id}-help`} className="setting-help">
        {entry.help}
        {!entry.secret && !entry.multiline && <span className="setting-default"> Default: {defaultText === '' ? '(none)' : defaultText}.</span>}{' '}
        <span className="setting-effect" data-effect={entry.effect}>
          {EFFECT_TEXT[entry.effect]}
        </span>
      </p>
    </div>
  );
}
