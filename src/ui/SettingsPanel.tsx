import type { ReactNode } from 'react';
import { useSettings } from './pageContext';
import { GROUPS, SETTING_KEYS, entryOf, isActive, type GroupId } from '../settings/schema';
import { CommandLineImport } from './CommandLineImport';
import { SettingField } from './SettingField';
import { SettingsExport } from './SettingsExport';
import { LanguageModelChoices } from './LanguageModelChoices';
import { WhisperDownloadSize } from './WhisperDownloadSize';

/** Controls that some settings show beside them. */
const EXTRAS: Partial<Record<string, ReactNode>> = { stt_model_name: <WhisperDownloadSize />, model_name: <LanguageModelChoices /> };

/** Every setting of the selected backends, grouped by stage, the system prompt first. */
export function SettingsPanel() {
  const settings = useSettings((state) => state.settings);
  const groups = Object.entries(GROUPS) as [GroupId, string][];
  return (
    <section className="settings-panel" aria-label="Settings">
      <h2>Settings</h2>
      {groups.map(([group, title]) => {
        const keys = SETTING_KEYS.filter((key) => entryOf(key).group === group && isActive(key, settings));
        return (
          <fieldset key={group} className="settings-group" data-group={group}>
            <legend>{title}</legend>
            {keys.map((key) => (
              <SettingField key={key} settingKey={key} extra={EXTRAS[key]} />
            ))}
          </fieldset>
        );
      })}
      <fieldset className="settings-group" data-group="import-export">
        <legend>Import and export</legend>
        <CommandLineImport />
        <SettingsExport />
      </fieldset>
    </section>
  );
}
