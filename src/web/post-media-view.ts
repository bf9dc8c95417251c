import type { Translator } from '../i18n/i18n';
import { MEDIA_RULES, MediaFacts, MediaProblem, submitProblems } from '../media/network-media-rules';
import type { Network } from '../posts/length';
import type { PostResponse } from '../posts/post.mapper';

const kb = (bytes: number) => Math.ceil(bytes / 1024);

/**
 * The images section of the post page: each image with its alt text, the network's rules as the
 * submit will check them (so staff see why before they press it), and the forms when they may edit.
 */
export function postMediaView(post: PostResponse, canEdit: boolean, i18n: Translator) {
  const network = post.network as Network;
  const problems = submitProblems(network, post.media as MediaFacts[]);
  return {
    show: canEdit || post.media.length > 0,
    canEdit,
    items: post.media.map((image, position) => ({
      ...image,
      n: position + 1,
      position,
      // The page's own origin (CSP img-src 'self'), whatever PUBLIC_URL says.
      path: new URL(image.url).pathname,
      copyNote: image.sourceId ? i18n.t('postMedia.copy', { network, width: image.width, height: image.height, size: kb(image.bytes) }) : null,
    })),
    problems: problems.map((problem) => ruleText(problem, post, i18n)),
    rulesOk: post.media.length > 0 && problems.length === 0 ? i18n.t('postMedia.rulesOk', { network }) : null,
  };
}

function ruleText(problem: MediaProblem, post: PostResponse, i18n: Translator): string {
  const rules = MEDIA_RULES[post.network as Network];
  const image = problem.index === null ? undefined : post.media[problem.index];
  const max = problem.rule === 'alt-length' ? rules.maxAlt : problem.rule === 'size' ? kb(rules.maxBytes) : rules.maxCount;
  return i18n.t('postMedia.rule', {
    rule: problem.rule.replace('-', '_'), network: post.network, n: (problem.index ?? 0) + 1, count: post.media.length, min: rules.minCount, max,
    size: image ? kb(image.bytes) : 0, mime: image?.mime ?? '', width: image?.width ?? 0, height: image?.height ?? 0, range: rules.aspect?.label ?? '',
  });
}
