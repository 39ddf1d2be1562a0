import { describe, expect, it } from 'vitest';
import { baseUrl, bool, choice, float, genKwargs, genValueFromText, genValueToText, int, optional, text, type ParseResult } from './valueTypes';

const value = <V>(result: ParseResult<V>): V => {
  if (!result.ok) throw new Error(result.error);
  return result.value;
};
const error = <V>(result: ParseResult<V>): string => {
  if (result.ok) throw new Error(`expected an error, got ${JSON.stringify(result.value)}`);
  return result.error;
};

describe('bool', () => {
  const type = bool();
  it('reads the reference’s spellings from text, and only booleans from JSON', () => {
    expect(value(type.fromText(' YES '))).toBe(true);
    expect(value(type.fromText('0'))).toBe(false);
    expect(error(type.fromText('2'))).toContain('"2" is not true or false');
    expect(value(type.fromJson(false))).toBe(false);
    expect(error(type.fromJson('true'))).toContain('a string is not true or false');
    expect(error(type.fromJson(1))).toContain('a number');
  });
});

describe('int', () => {
  const type = int({ min: 1, max: 16 });
  it('reads whole numbers in range', () => {
    expect(value(type.fromText('+16'))).toBe(16);
    expect(error(type.fromText('17'))).toContain('from 1 to 16');
    expect(error(type.fromText('0'))).toContain('out of range');
    expect(error(type.fromText('1.0'))).toContain('not a whole number');
    expect(error(type.fromText('0x10'))).toContain('not a whole number');
    expect(error(type.fromJson(2.5))).toContain('2.5 is not a whole number');
    expect(error(type.fromJson(null))).toContain('null is not a whole number');
    expect(error(int().fromText('1'.repeat(30)))).toContain('too large');
  });
});

describe('float', () => {
  const unit = float({ min: 0, max: 1 });
  const unbounded = float({ min: 0, allowInfinity: true });
  it('reads Python float syntax, never nan', () => {
    expect(value(unit.fromText('.25'))).toBe(0.25);
    expect(value(unit.fromText('2.5E-1'))).toBe(0.25);
    expect(value(unit.fromText('-0'))).toBe(0);
    expect(Object.is(value(unit.fromText('-0')), 0)).toBe(true);
    expect(error(unit.fromText('nan'))).toContain('not a number');
    expect(error(unit.fromText('1e999'))).toContain('too large');
    expect(error(unit.fromText('inf'))).toContain('not a number');
    expect(error(unit.fromJson(Number.NaN))).toContain('not a number');
  });
  it('writes infinity as the reference’s "inf" in both forms', () => {
    expect(value(unbounded.fromText('Infinity'))).toBe(Infinity);
    expect(value(unbounded.fromJson('inf'))).toBe(Infinity);
    expect(unbounded.toText(Infinity)).toBe('inf');
    expect(unbounded.toJson(Infinity)).toBe('inf');
    expect(error(unbounded.fromText('-inf'))).toContain('not a number');
  });
});

describe('text', () => {
  it('checks emptiness, length and form', () => {
    expect(value(text().fromText(''))).toBe('');
    expect(error(text({ nonEmpty: true }).fromText('  '))).toContain('must not be empty');
    expect(error(text().fromText('x'.repeat(100_001)))).toContain('100001 characters');
    expect(error(text().fromJson(5))).toContain('a number is not a text');
  });
  it('optional text is null when empty', () => {
    const type = optional(text({ nonEmpty: true }));
    expect(value(type.fromText(''))).toBeNull();
    expect(value(type.fromJson(null))).toBeNull();
    expect(type.toText(null)).toBe('');
    expect(value(type.fromText('x'))).toBe('x');
  });
});

describe('choice', () => {
  const type = choice(['auto', 'webgpu', 'wasm'], { aliases: { cuda: { to: 'webgpu', why: 'WebGPU is the GPU' } } });
  it('takes listed values exactly, and aliases with a warning', () => {
    expect(value(type.fromText('wasm'))).toBe('wasm');
    expect(error(type.fromText('WASM'))).toContain('one of: auto, webgpu, wasm');
    const aliased = type.fromText('cuda');
    expect(aliased).toEqual({ ok: true, value: 'webgpu', warning: '"cuda" is taken as "webgpu": WebGPU is the GPU' });
    expect(error(type.fromJson(['wasm']))).toContain('a list');
  });
});

describe('baseUrl', () => {
  it('takes http(s) URLs, and same-origin paths where allowed', () => {
    expect(value(baseUrl().fromText('https://router.huggingface.co/v1'))).toBe('https://router.huggingface.co/v1');
    expect(error(baseUrl().fromText('/v1'))).toContain('is not a URL');
    expect(value(baseUrl({ allowPath: true }).fromText('/models/'))).toBe('/models/');
    expect(error(baseUrl({ allowPath: true }).fromText('//evil.example/models'))).toContain('not a URL');
    expect(error(baseUrl().fromText('javascript:alert(1)'))).toContain('javascript:');
    expect(error(baseUrl().fromText('http://a b'))).toContain('spaces');
  });
});

describe('genKwargs', () => {
  const type = genKwargs('llm_gen_', ['temperature']);
  it('holds a JSON object of option names', () => {
    expect(value(type.fromText('{"top_p": 0.9, "stop": ["\\n"]}'))).toEqual({ stop: ['\n'], top_p: 0.9 });
    expect(value(type.fromText(''))).toEqual({});
    expect(error(type.fromText('[1]'))).toContain('not a JSON object');
    expect(error(type.fromText('{"Top-P": 1}'))).toContain('not a generation option name');
    expect(error(type.fromText('{"temperature": 1}'))).toContain('llm_gen_temperature');
    expect(error(type.fromText('{oops'))).toContain('not valid JSON');
  });
  it('compares objects whatever their key order', () => {
    expect(type.equals({ a: 1, b: [1, { c: 2, d: 3 }] }, { b: [1, { d: 3, c: 2 }], a: 1 })).toBe(true);
    expect(type.equals({ a: 1 }, { a: '1' })).toBe(false);
  });
  it('writes option values as text that reads back unchanged', () => {
    for (const option of ['5', 5, 'true', true, 'null', null, 'plain', '', ['a'], { k: 1 }, '"quoted"']) {
      expect(genValueFromText(genValueToText(option))).toEqual(option);
    }
  });
});
