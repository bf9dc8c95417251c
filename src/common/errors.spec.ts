import { InvalidInput, MAX_LISTED_ERRORS } from './errors';

describe('InvalidInput', () => {
  const fieldErrors = (count: number) => Array.from({ length: count }, (_, n) => ({ field: `themes[${n}]`, message: 'overlaps' }));

  it('lists every error when there are at most MAX_LISTED_ERRORS', () => {
    const body = new InvalidInput(fieldErrors(MAX_LISTED_ERRORS)).getResponse() as Record<string, unknown>;
    expect(body.errors).toHaveLength(100);
    expect(body).not.toHaveProperty('more');
  });

  it('lists the first 100 errors and counts the rest in `more`, the message too', () => {
    const body = new InvalidInput(fieldErrors(1_000_000)).getResponse() as { errors: unknown[]; more: number; message: string };
    expect(body.errors).toHaveLength(100);
    expect(body.errors[99]).toEqual({ field: 'themes[99]', message: 'overlaps' });
    expect(body.more).toBe(999_900);
    expect(body.message).toMatch(/^themes\[0\]: overlaps; .*themes\[99\]: overlaps; … and 999900 more$/);
    expect(JSON.stringify(body).length).toBeLessThan(10_000);
  });

  it('takes FieldError paths as fields', () => {
    expect(new InvalidInput([{ path: 'members[0].code', message: 'is required' }]).getResponse()).toEqual({
      message: 'members[0].code: is required',
      errors: [{ field: 'members[0].code', message: 'is required' }],
    });
  });
});
