import { ArgumentsHost, BadRequestException, Logger } from '@nestjs/common';
import { Views } from './views';
import { WebErrorFilter, withoutSecrets } from './web-errors';

/** Just enough of Express for the filter: what it sets and sends is recorded. */
function fakeHttp() {
  const sent: { status?: number; body?: string } = {};
  const response = {
    headersSent: false,
    status(code: number) { sent.status = code; return this; },
    type() { return this; },
    send(body: string) { sent.body = body; return this; },
  };
  const host = { switchToHttp: () => ({ getRequest: () => ({ method: 'POST', originalUrl: '/posts/7/edit', headers: {} }), getResponse: () => response }) } as unknown as ArgumentsHost;
  return { host, sent };
}

describe('WebErrorFilter', () => {
  const filter = new WebErrorFilter(new Views());
  let logged: jest.SpyInstance;
  beforeEach(() => { logged = jest.spyOn(Logger.prototype, 'error').mockImplementation(() => undefined); });
  afterEach(() => logged.mockRestore());

  it('logs an unexpected error with the request, and shows a page without its details', () => {
    const { host, sent } = fakeHttp();
    filter.catch(new TypeError("Cannot read properties of undefined (reading 'replace')"), host);
    expect(sent.status).toBe(500);
    expect(sent.body).toContain('Something went wrong on our side.');
    expect(sent.body).not.toContain('replace');
    expect(logged).toHaveBeenCalledTimes(1);
    expect(String(logged.mock.calls[0][0])).toMatch(/^POST \/posts\/7\/edit: TypeError: Cannot read properties of undefined/);
  });

  it('does not log a refused input, and shows its message', () => {
    const { host, sent } = fakeHttp();
    filter.catch(new BadRequestException('text: must not be empty'), host);
    expect(sent.status).toBe(400);
    expect(sent.body).toContain('text: must not be empty');
    expect(logged).not.toHaveBeenCalled();
  });
});

describe('withoutSecrets', () => {
  it('leaves the value of token= out of a URL, and the rest as it is', () => {
    expect(withoutSecrets('/login/link?token=abc_DEF-123&x=1')).toBe('/login/link?token=…&x=1');
    expect(withoutSecrets('/api/campaigns/a/calendar.ics?member=SI&TOKEN=cal_x')).toBe('/api/campaigns/a/calendar.ics?member=SI&TOKEN=…');
    expect(withoutSecrets('/posts/7/edit')).toBe('/posts/7/edit');
  });
});
