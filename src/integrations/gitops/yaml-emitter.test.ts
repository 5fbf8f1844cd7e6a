import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { yamlDocument } from './yaml-emitter.ts';

describe('the manifest YAML emitter', () => {
  it('writes strings that would read as something else in quotes, so they come back as the same strings', () => {
    const tricky = ['true', 'False', 'yes', 'NO', 'on', 'off', 'y', 'n', 'null', '~', '', ' lead', 'trail ', '1', '1.0', '0x1F', '1e3', '.5', '12:30', '0o17',
      '-x', '- x', '*ref', '&anchor', '!tag', '{a}', '[a]', '%x', '@x', '`x`', '"q"', "'q'", 'a: b', 'a #b', 'key:', 'a\nb', 'tab\there', 'é', '#', '?', '|', '>',
      'https://host/path?x=1', 'dso.pi/project', 'CreateNamespace=false', '0000000100000001000000010000000100000001', '.inf', '-.Inf', '.NaN', '<<'];
    const value = { list: tricky, map: Object.fromEntries(tricky.filter(Boolean).map((s, i) => [s, i])) };
    expect(parse(yamlDocument(value))).toEqual(value);
  });

  it('keeps numbers, booleans, null, empty and nested collections', () => {
    const value = {
      a: 1,
      b: -2.5,
      c: true,
      d: null,
      e: [],
      f: {},
      g: [[1, [2]], { h: [{ i: {} }] }],
      j: [{ k: 1, l: [] }],
    };
    expect(parse(yamlDocument(value))).toEqual(value);
  });

  it('sorts keys so the same object always gives the same bytes', () => {
    expect(yamlDocument({ b: 1, a: { d: 1, c: 2 } })).toBe(yamlDocument({ a: { c: 2, d: 1 }, b: 1 }));
    expect(yamlDocument({ b: 1, a: 2 })).toBe('a: 2\nb: 1\n');
  });

  it('refuses what JSON cannot hold rather than writing something wrong', () => {
    expect(() => yamlDocument({ a: Number.NaN })).toThrow(TypeError);
    expect(() => yamlDocument({ a: () => 1 })).toThrow(TypeError);
  });
});
