import { networkCounter, previewAccount, previewSpans } from './network-preview';

describe('previewSpans', () => {
  it('styles links, bare domains, #hashtags (Cyrillic too) and @mentions, and keeps the rest as plain text', () => {
    expect(previewSpans('Крај #EndImpunity #КрајНаКазнивоста на natc.example.org/a @ana.\nhttps://www.icmpd.org/x?y=1 end')).toEqual([
      { kind: 'text', text: 'Крај ' },
      { kind: 'tag', text: '#EndImpunity' },
      { kind: 'text', text: ' ' },
      { kind: 'tag', text: '#КрајНаКазнивоста' },
      { kind: 'text', text: ' на ' },
      { kind: 'link', text: 'natc.example.org/a' },
      { kind: 'text', text: ' ' },
      { kind: 'mention', text: '@ana' },
      { kind: 'text', text: '.\n' },
      { kind: 'link', text: 'https://www.icmpd.org/x?y=1' },
      { kind: 'text', text: ' end' },
    ]);
  });

  it('returns markup as text, never as HTML (the page escapes every span)', () => {
    expect(previewSpans('<b>x</b> & "q" #tag<script>')).toEqual([
      { kind: 'text', text: '<b>x</b> & "q" ' }, { kind: 'tag', text: '#tag' }, { kind: 'text', text: '<script>' },
    ]);
  });

  it('rebuilds the text exactly, emoji and joiners included', () => {
    const text = '👨‍👩‍👧‍👦 #NATCSEE 🇲🇰 example.mk\r\nkraj';
    expect(previewSpans(text).map((s) => s.text).join('')).toBe(text);
    expect(previewSpans('')).toEqual([]);
  });
});

describe('networkCounter', () => {
  it.each([
    ['x', 212, 280, true, 'weighted'],
    ['bluesky', 40, 300, true, 'graphemes'],
    ['mastodon', 40, 500, true, 'characters'],
    ['facebook', 261, 63206, false, 'characters'],
    ['linkedin', 2700, 3000, true, 'characters'],
    ['instagram', 1900, 2200, false, 'characters'],
    ['instagram', 2300, 2200, true, 'characters'],
  ] as const)('%s %d/%d: shown %s, counts %s', (network, length, limit, shown, unit) => {
    expect(networkCounter(network, length, limit)).toMatchObject({ shown, unit, over: length > limit });
  });

  it('caps the meter at 100%', () => {
    expect(networkCounter('x', 300, 280).percent).toBe(100);
  });
});

describe('previewAccount', () => {
  it('names the account after the member, with a handle the network would write', () => {
    expect(previewAccount('x', { code: 'HR', name: 'Hrvatska' })).toEqual({ name: 'Hrvatska', initial: 'H', handle: '@hrvatska', networkName: 'X' });
    expect(previewAccount('mastodon', { code: 'SI', name: 'Slovenija' }, 'https://mastodon.example').handle).toBe('@slovenija@mastodon.example');
    expect(previewAccount('bluesky', { code: 'MK', name: 'Северна Македонија' })).toMatchObject({ initial: 'С', handle: '@mk.bsky.social' });
    expect(previewAccount('facebook', { code: 'XK', name: 'Kosova*' })).toMatchObject({ handle: null, networkName: 'Facebook' });
  });
});
