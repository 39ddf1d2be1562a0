import { describe, expect, it } from 'vitest';
import { languageName, plainLanguage } from './languages';

describe('reported languages', () => {
  it('drops the detection suffix', () => {
    expect(plainLanguage('fr-auto')).toBe('fr');
    expect(plainLanguage('en')).toBe('en');
    expect(plainLanguage(null)).toBeNull();
  });

  it('names a reported language, detected or not', () => {
    expect(languageName('fr-auto')).toBe('French');
    expect(languageName('fr')).toBe('French');
    expect(languageName('xx')).toBeNull();
  });
});
