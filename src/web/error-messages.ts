import type { Translator } from '../i18n/i18n';

/**
 * Error pages in the reader's language. The services' errors are English sentences (the API's JSON
 * keeps them: the contract); a page shows, for each kind it knows, a message of the catalogue, and
 * for any other the catalogue's general message for the status. English readers keep the service's
 * own sentence when its kind is unknown: it is the most precise one there is.
 */
const STATUS_NAMES: Record<number, string> = {
  400: 'badRequest', 401: 'unauthorized', 403: 'forbidden', 404: 'notFound', 409: 'conflict', 413: 'tooLarge', 429: 'tooMany', 500: 'server',
};

type Kind = [RegExp, (m: RegExpExecArray, t: Translator) => string];

const KINDS: Kind[] = [
  [/belongs to another member/, (_, t) => t.t('error.kinds.notYours')],
  [/^member (\S+) is not yours/, (m, t) => t.t('error.kinds.memberNotYours', { member: m[1] })],
  [/^the overview is for the secretariat/, (_, t) => t.t('error.kinds.overviewSecretariat')],
  [/^this form has expired/, (_, t) => t.t('error.kinds.formExpired')],
  [/^no campaign "(.*)"$/, (m, t) => t.t('error.kinds.noCampaign', { slug: m[1] })],
  [/^no post ([\d, ]+)$/, (m, t) => t.t('error.kinds.noPost', { id: m[1] })],
  [/^no \S+ export$/, (_, t) => t.t('error.kinds.noExport')],
  [/^revision (\d+) is stale: the post is at revision (\d+)/, (m, t) => t.t('error.kinds.staleRevision', { given: m[1], current: m[2] })],
  [/changed while this request/, (_, t) => t.t('error.kinds.changedMeanwhile')],
  [/is stale: the account is at revision|^the account changed meanwhile/, (_, t) => t.t('error.kinds.staleAccount')],
  // A post's action says "its campaign is archived"; a re-plan or settings page names the campaign.
  [/^campaign "[^"]*" is archived/, (_, t) => t.t('post.archived')],
  [/campaign is archived/, (_, t) => t.t('error.kinds.archived')],
  [/over the network's limit/, (_, t) => t.t('error.kinds.overLimit')],
  [/this one is (\w+)$|^an? (\w+) post cannot be edited/, (m, t) => t.t('error.kinds.wrongStatus', { status: t.t('status', { status: m[1] ?? m[2] }) })],
  [/awaits the (\w+), not the/, (m, t) => t.t('error.kinds.wrongStep', { role: t.t('roles', { role: m[1] }) })],
  [/^coordinators approve|^comms staff or the secretariat|^only the secretariat|has no approval step/, (_, t) => t.t('error.kinds.roleCannot')],
];

const FIELD_KINDS: Kind[] = [
  [/^is given more than once$/, (_, t) => t.t('validation.moreThanOnce')],
  [/^must be a single value$/, (_, t) => t.t('validation.singleValue')],
  [/^is not valid JSON$/, (_, t) => t.t('validation.json')],
  [/^unknown field$|should not exist$/, (_, t) => t.t('validation.unknownField')],
  [/should not be empty$/, (_, t) => t.t('validation.empty')],
  [/^must be a string$/, (_, t) => t.t('validation.string')],
  [/^must be an integer number$/, (_, t) => t.t('validation.integer')],
  [/^must be a URL address$/, (_, t) => t.t('validation.url')],
  [/^must be an email$/, (_, t) => t.t('validation.email')],
  [/^must be longer than or equal to (\d+) characters$/, (m, t) => t.t('validation.minLength', { min: Number(m[1]) })],
  [/^must be shorter than or equal to (\d+) characters$/, (m, t) => t.t('validation.maxLength', { max: Number(m[1]) })],
  [/^must not be less than (\d+)$/, (m, t) => t.t('validation.min', { min: Number(m[1]) })],
  [/^must not be greater than (\d+)$/, (m, t) => t.t('validation.max', { max: Number(m[1]) })],
  [/^must contain at least (\d+) elements$/, (m, t) => t.t('validation.arrayMin', { min: Number(m[1]) })],
  [/^must contain no more than (\d+) elements$/, (m, t) => t.t('validation.arrayMax', { max: Number(m[1]) })],
  [/needs a comment/, (_, t) => t.t('validation.needsComment')],
  [/^must be a local date-time/, (_, t) => t.t('validation.localTimeFormat')],
  [/has passed/, (_, t) => t.t('validation.localTimePast')],
  [/^lists a post twice$/, (_, t) => t.t('validation.listsTwice')],
  [/^give text, localTime or both$/, (_, t) => t.t('validation.textOrTime')],
  [/^must be a campaign slug/, (_, t) => t.t('validation.slug')],
  [/^must be one of the following values/, (_, t) => t.t('validation.language')],
];

function known(kinds: Kind[], message: string, t: Translator): string | null {
  for (const [pattern, say] of kinds) {
    const match = pattern.exec(message);
    if (match) return say(match, t);
  }
  return null;
}

/** `items.0.revision` → the label of `revision`, with the path kept in front: `items.0.` stays as it is. */
function fieldLabel(field: string, t: Translator): string {
  const parts = field.split('.');
  const last = parts.pop()!;
  return [...parts, t.t('fields', { field: last })].join('.');
}

export interface FieldProblem { field: string; message: string }

/** The title and message of an error page, in the reader's language. */
export function errorPage(status: number, message: string, fields: FieldProblem[] | null, t: Translator): { title: string; message: string } {
  const name = STATUS_NAMES[status] ?? 'other';
  const title = t.t('error.title', { status, name: t.t(`error.names.${name}`) });
  const fallback = (english: string) => (t.locale === 'en' && status < 500 ? english : t.t(`error.generic.${name}`));
  if (fields && fields.length > 0) {
    const lines = fields.map((f) => {
      const said = known(FIELD_KINDS, f.message, t) ?? known(KINDS, f.message, t) ?? fallback(f.message);
      return f.field ? t.t('error.field', { field: fieldLabel(f.field, t), message: said }) : said;
    });
    return { title, message: lines.join('; ') };
  }
  // A bulk action names the post in front: "items[3] (post 7): only a post in review…".
  const bare = message.replace(/^items\[\d+\] \(post \d+\): /, '');
  return { title, message: status >= 500 ? t.t('error.generic.server') : known(KINDS, bare, t) ?? fallback(message) };
}
