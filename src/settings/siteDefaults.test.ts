import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { siteDefaults } from '../../siteSettings';
import { entryOf, withSiteDefault } from './schema';

const folder = mkdtempSync(join(tmpdir(), 'site-settings-'));
function file(content: string): string {
  const path = join(folder, `${Math.random().toString(36).slice(2)}.json`);
  writeFileSync(path, content);
  return path;
}

describe('a site’s own defaults', () => {
  it('are the settings its file changes, checked as an import is', () => {
    const warnings: string[] = [];
    expect(siteDefaults(file('{"llm_backend": "chat-completions", "responses_api_base_url": "https://llm.site.example/v1", "lm_model_name": "x", "thresh": 0.6}'), (warning) => warnings.push(warning))).toEqual({
      llm_backend: 'chat-completions',
      responses_api_base_url: 'https://llm.site.example/v1',
      model_name: 'x',
    });
    expect(warnings.join('\n')).toContain('lm_model_name');
    expect(siteDefaults(undefined)).toBeNull();
  });

  it('refuse a bad value, a file that is not JSON, and any API key, saying why', () => {
    expect(() => siteDefaults(file('{"thresh": 7}'))).toThrow(/refused:\n"thresh": 7 is out of range/);
    expect(() => siteDefaults(file('{'))).toThrow(/not valid JSON/);
    expect(() => siteDefaults(file('{"responses_api_api_key": "sk-1"}'))).toThrow(/responses_api_api_key: a key in a static site is public/);
    expect(() => siteDefaults(join(folder, 'missing.json'))).toThrow(/could not be read/);
  });

  it('take the place of the built-in default, and a value the schema refuses does not', () => {
    expect(withSiteDefault('thresh', entryOf('thresh'), { thresh: 0.4 }).default).toBe(0.4);
    expect(withSiteDefault('thresh', entryOf('thresh'), { thresh: "loud" }).default).toBe(0.6);
    expect(withSiteDefault('thresh', entryOf('thresh'), {}).default).toBe(0.6);
  });
});
