import { Fragment, useState, type ReactNode } from 'react';
import { GROUPS, SETTING_KEYS, describeAppliesTo, entryOf, isActive, type GroupId, type SettingKey } from '../settings/schema';
import { AllowedHosts } from './AllowedHosts';
import { Drawer } from './Drawer';
import { CommandLineImport } from './CommandLineImport';
import { LanguageModelChoices } from './LanguageModelChoices';
import { SettingField } from './SettingField';
import { SettingsExport } from './SettingsExport';
import { WhisperDownloadSize } from './WhisperDownloadSize';
import { useSettings } from './pageContext';

/** Controls that some settings show beside them. */
const EXTRAS: Partial<Record<string, ReactNode>> = { stt_model_name: <WhisperDownloadSize />, model_name: <LanguageModelChoices /> };

/** Whether a setting answers to the words typed in the filter: its name, flag, label or help. */
function matches(key: SettingKey, words: readonly string[]): boolean {
  const entry = entryOf(key);
  const haystack = `${key} --${key} --${key.replaceAll('_', '-')} ${entry.label} ${entry.help}`.toLowerCase();
  return words.every((word) => haystack.includes(word));
}

/**
 * The settings, in a drawer over the conversation: the system prompt first, then each stage
 * (only the chosen backends' settings), a filter box on top that finds any setting by name, flag
 * or help text (also those of backends not chosen, saying when they apply), import and export at
 * the bottom.
 */
export function SettingsDrawer({ open, onClose }: { open: boolean; onClose: () => void }) {
  const settings = useSettings((state) => state.settings);
  const [filter, setFilter] = useState('');
  const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
  const groups = Object.entries(GROUPS) as [GroupId, string][];
  const shown = groups.map(([group, title]) => ({
    group,
    title,
    keys: SETTING_KEYS.filter((key) => entryOf(key).group === group && (words.length > 0 ? matches(key, words) : isActive(key, settings))),
  }));
  const count = shown.reduce((sum, group) => sum + group.keys.length, 0);
  return (
    <Drawer open={open} onClose={onClose} title="Settings" className="settings-panel">
      <label className="settings-filter">
        <span className="visually-hidden">Find a setting</span>
        <input type="search" value={filter} onChange={(event) => setFilter(event.target.value)} placeholder="Find a setting: name, flag or words of its help" aria-label="Find a setting" />
      </label>
      {words.length > 0 && (
        <p className="settings-filter-count" role="status">
          {count === 0 ? 'No setting matches.' : `${count} setting${count === 1 ? '' : 's'} match.`}
        </p>
      )}
      {shown
        .filter(({ keys }) => keys.length > 0)
        .map(({ group, title, keys }) => (
          <fieldset key={group} className="settings-group" data-group={group}>
            <legend>{title}</legend>
            {keys.map((key) => (
              <Fragment key={key}>
                {!isActive(key, settings) && <p className="setting-inactive">Used when {describeAppliesTo(key)}.</p>}
                <SettingField settingKey={key} extra={EXTRAS[key]} />
              </Fragment>
            ))}
          </fieldset>
        ))}
      {words.length === 0 && (
        <>
          <fieldset className="settings-group" data-group="allowed-hosts">
            <legend>Allowed hosts</legend>
            <AllowedHosts />
          </fieldset>
          <fieldset className="settings-group" data-group="import-export">
            <legend>Import and export</legend>
            <CommandLineImport />
            <SettingsExport />
          </fieldset>
        </>
      )}
    </Drawer>
  );
}
