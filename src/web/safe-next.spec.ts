import { safeNext } from './safe-next';

const ORIGIN = 'https://scheduler.example.org';

describe('safeNext', () => {
  it.each([
    ['/approvals', '/approvals'],
    ['/posts/12?done=approve#history', '/posts/12?done=approve#history'],
    ['/campaigns/natc-see-2021/calendar?member=SI', '/campaigns/natc-see-2021/calendar?member=SI'],
    [`${ORIGIN}/approvals`, '/approvals'],
    ['approvals', '/approvals'],
  ])('keeps a path of this service: %j → %j', (next, expected) => {
    expect(safeNext(next, ORIGIN)).toBe(expected);
  });

  it.each([
    '/\\evil.example', '//evil.example', '\\\\evil.example', '/\t/evil.example', '/\n/evil.example', 'https://evil.example/',
    'http://scheduler.example.org/', `${ORIGIN}@evil.example/`, '/.//evil.example', '/a/../..//evil.example', 'javascript:alert(1)',
    'data:text/html,hi', '', 'http://[', `/${'a'.repeat(2001)}`,
  ])('refuses %j (home instead)', (next) => {
    expect(safeNext(next, ORIGIN)).toBe('/');
  });

  it.each([undefined, null, 42, ['/approvals', '/x']])('refuses a next that is not one string: %j', (next) => {
    expect(safeNext(next, ORIGIN)).toBe('/');
  });
});
