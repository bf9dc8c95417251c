import { EditPostDto } from '../posts/dto/edit-post.dto';
import { BulkApprovalDto } from '../approvals/dto/approval-action.dto';
import { parseForm } from './form';

/** The 400 a form gets, as its `{field, message}` list. */
function refusal(run: () => unknown): { field: string; message: string }[] {
  try {
    run();
  } catch (error) {
    return (error as { getResponse(): { errors: { field: string; message: string }[] } }).getResponse().errors;
  }
  throw new Error('the form was accepted');
}

describe('parseForm', () => {
  it('gives the DTO with whole numbers as numbers, blank optional inputs left out and _csrf dropped', () => {
    const form = parseForm(EditPostDto, { _csrf: 'x', revision: '3', text: 'Zdravo', localTime: '' }, { blankIsAbsent: ['localTime'] });
    expect(form).toBeInstanceOf(EditPostDto);
    expect({ ...form }).toMatchObject({ revision: 3, text: 'Zdravo' });
    expect(form.localTime).toBeUndefined();
  });

  it.each([
    ['an empty text', { revision: '3', text: '' }, 'text'],
    ['a revision that is not a number', { revision: 'latest' }, 'revision'],
    ['an unknown field', { revision: '3', status: 'approved' }, 'status'],
    ['a field given twice', { revision: '3', text: ['a', 'b'] }, 'text'],
  ])('refuses %s, naming the field', (_, body, field) => {
    expect(refusal(() => parseForm(EditPostDto, body)).map((e) => e.field)).toContain(field);
  });

  it('reads JSON fields and validates their items with the API DTO', () => {
    expect(parseForm(BulkApprovalDto, { items: '[{"id":5,"revision":2}]' }, { json: ['items'] }).items).toEqual([{ id: 5, revision: 2 }]);
    expect(refusal(() => parseForm(BulkApprovalDto, { items: '[{' }, { json: ['items'] }))).toEqual([{ field: 'items', message: 'is not valid JSON' }]);
    expect(refusal(() => parseForm(BulkApprovalDto, { items: '[{"id":"5","revision":2}]' }, { json: ['items'] }))[0].field).toBe('items.0.id');
    const tooMany = JSON.stringify(Array.from({ length: 1001 }, (_, i) => ({ id: i + 1, revision: 1 })));
    expect(refusal(() => parseForm(BulkApprovalDto, { items: tooMany }, { json: ['items'] }))).toEqual([{ field: 'items', message: 'must contain no more than 1000 elements' }]);
  });

  describe('a selection of posts (checkboxes)', () => {
    const rules = { json: ['items'], selection: { field: 'pick', into: 'items' } };

    it('reads the ticked posts as items, one or many', () => {
      expect(parseForm(BulkApprovalDto, { pick: '7:3' }, rules).items).toEqual([{ id: 7, revision: 3 }]);
      expect(parseForm(BulkApprovalDto, { pick: ['7:3', '9:1'] }, rules).items).toEqual([{ id: 7, revision: 3 }, { id: 9, revision: 1 }]);
    });

    it('adds them to "all of the week", each post once', () => {
      const form = parseForm(BulkApprovalDto, { items: '[{"id":7,"revision":3},{"id":8,"revision":2}]', pick: ['7:3', '9:1'] }, rules);
      expect(form.items).toEqual([{ id: 7, revision: 3 }, { id: 8, revision: 2 }, { id: 9, revision: 1 }]);
    });

    it('refuses an unreadable tick, and nothing ticked, naming the field', () => {
      expect(refusal(() => parseForm(BulkApprovalDto, { pick: ['7:3', 'all'] }, rules))).toEqual([{ field: 'pick', message: 'must be a post as id:revision' }]);
      expect(refusal(() => parseForm(BulkApprovalDto, {}, rules)).every((e) => e.field === 'items')).toBe(true);
    });
  });
});
