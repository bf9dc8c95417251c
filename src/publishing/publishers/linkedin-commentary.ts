/*
 * LinkedIn's "little text" format (learn.microsoft.com/linkedin, Posts API → "Little Text Format",
 * version 202511): in `commentary` the characters \ | { } @ [ ] ( ) < > # * _ ~ are reserved and must be
 * escaped with a backslash, or LinkedIn reads them as markup and may cut the text off at them. A hashtag
 * is written as the template {hashtag|\#|word}.
 */
const RESERVED = /[\\|{}@[\]()<>#*_~]/g;
const HASHTAG = /#([\p{L}\p{N}_]+)/gu;

const escape = (text: string) => text.replace(RESERVED, (c) => `\\${c}`);

/** The post's text as LinkedIn's `commentary`: reserved characters escaped, hashtags as hashtag templates. */
export function linkedinCommentary(text: string): string {
  let out = '';
  let last = 0;
  for (const match of text.matchAll(HASHTAG)) {
    out += escape(text.slice(last, match.index)) + `{hashtag|\\#|${escape(match[1])}}`;
    last = match.index! + match[0].length;
  }
  return out + escape(text.slice(last));
}
