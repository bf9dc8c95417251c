import { translator } from '../i18n/i18n';
import { errorPage } from './error-messages';

describe('errorPage', () => {
  const mk = translator('mk');
  const en = translator('en');

  it.each([
    [403, 'this post belongs to another member', 'Ова ѝ припаѓа на друга членка.'],
    [403, 'member HR is not yours', 'Членката HR не е ваша.'],
    [404, 'no campaign "x-2020"', 'Не постои кампања „x-2020“.'],
    [409, 'revision 3 is stale: the post is at revision 5; reload it and try again', 'Некој ја промени објавата во меѓувреме (сега е во верзија 5, а не 3): освежете ја и обидете се повторно.'],
    [409, 'items[2] (post 41): only a post in review can be approved; this one is approved', 'Ова не може да се направи со објава во статус „одобрена“.'],
    [403, 'step 2 of 2 awaits the secretariat, not the coordinator', 'Овој чекор на одобрување е за улогата „секретаријат“.'],
    [409, 'its campaign is archived (its last date had passed when it was imported): its posts are read-only', 'Нејзината кампања е архивирана: нејзините објави може само да се читаат.'],
    [409, 'campaign "natc-see-2021" is archived (its last date had passed when it was imported): its posts are read-only', 'Оваа кампања е архивирана (нејзиниот последен датум веќе беше поминат кога е увезена): нејзините објави може само да се читаат.'],
    [409, 'something nobody foresaw', 'Објавата е променета или ова сега не може да се направи: освежете ја страницата и обидете се повторно.'],
    [500, 'TypeError: x is undefined', 'Нешто тргна наопаку кај нас.'],
  ])('says a %i “%s” in the reader’s language', (status, message, expected) => {
    expect(errorPage(status, message, null, mk).message).toBe(expected);
  });

  it('names each field and its rule in the reader’s language', () => {
    const fields = [
      { field: 'text', message: 'must be longer than or equal to 1 characters' },
      { field: 'items.0.revision', message: 'must not be less than 1' },
      { field: 'member', message: 'is given more than once' },
    ];
    expect(errorPage(400, 'x', fields, mk)).toEqual({
      title: '400 · Неисправен внес',
      message: 'текст: мора да има најмалку 1 знак; items.0.верзија: не смее да биде помало од 1; членка: е дадено повеќе од еднаш',
    });
  });

  it('keeps the service’s own English sentence for an English reader when it knows no better one, but never a 5xx’s', () => {
    expect(errorPage(409, 'something nobody foresaw', null, en)).toEqual({ title: '409 · Conflict', message: 'something nobody foresaw' });
    expect(errorPage(500, 'TypeError: x is undefined', null, en).message).toBe('Something went wrong on our side.');
    expect(errorPage(400, 'x', [{ field: 'text', message: 'is odd' }], en).message).toBe('text: is odd');
    expect(errorPage(400, 'x', [{ field: 'text', message: 'is odd' }], mk).message).toBe('текст: Формуларот има грешка.');
  });
});
