import { describe, expect, it } from 'vitest';
import { ownerKey } from './owner-key.js';

describe('owner keys', () => {
  it('maps case, width forms, compatibility forms, invisible characters and whitespace to one key', () => {
    const spellings = [
      'ada',
      'Ada',
      'ADA',
      'ada ',
      ' ada',
      '\tada\n',
      'ａｄａ',
      'ＡＤＡ',
      'a\u200Bda',
      'a\u00ADda',
      'ad\uFE0Fa',
      '\u3000ada\u00A0',
    ];
    for (const spelling of spellings) expect(ownerKey(spelling), JSON.stringify(spelling)).toBe('ada');
    expect(ownerKey('Ada  Lovelace')).toBe(ownerKey('ada lovelace'));
    expect(ownerKey('Ada\u3000Lovelace')).toBe('ada lovelace');
    expect(ownerKey('Straße')).toBe(ownerKey('STRASSE'));
    expect(ownerKey('ﬁsh')).toBe('fish');
  });

  it('keeps distinct owners distinct', () => {
    expect(ownerKey('ada')).not.toBe(ownerKey('adb'));
    expect(ownerKey('ada lovelace')).not.toBe(ownerKey('adalovelace'));
    expect(ownerKey('東京')).toBe('東京');
  });
});
