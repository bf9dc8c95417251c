import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { InvalidInput } from '../common/errors';
import type { Network } from '../posts/length';
import type { TemplateSet } from '../templates/template-set';
import { conformingCopy, NotAnImage, PreparedImage, prepareImage } from './image-processing';
import { MediaService } from './media.service';
import { mediaFileName } from './media-types';
import { conformingTarget, describeProblem, editProblems } from './network-media-rules';

/** A template's image checked and stripped like an upload, with the copy each network needs (if any). */
interface PreparedTemplateImage {
  image: PreparedImage;
  copies: Map<Network, PreparedImage>;
}

/** Template image (content hash of the file) and network → the stored image a post of that network gets. */
export type TemplateMediaIds = (image: string, network: Network) => number;

/**
 * The images the templates name, made ready for the plan in two steps: `prepare` (before the
 * transaction: type from the bytes, metadata stripped, conforming copies, files stored) refuses a
 * non-image naming message and file; `save` writes their rows inside the plan's transaction, so a
 * refused import leaves no row behind (a stored file without a row is harmless, as for uploads).
 */
@Injectable()
export class TemplateImages {
  constructor(private readonly media: MediaService) {}

  /** `store: false` for a preview: checked and copied, nothing written. */
  async prepare(templates: TemplateSet, networks: Network[], options: { store: boolean } = { store: true }): Promise<Map<string, PreparedTemplateImage>> {
    const source = templates.locales.get(templates.defaultLocale)!;
    const prepared = new Map<string, PreparedTemplateImage>();
    for (const [key, message] of source.messages) {
      for (const [i, named] of message.media.entries()) {
        if (prepared.has(named.sha256)) continue;
        const where = `${source.file}: messages.${key}.media[${i}].file: ${named.file}`;
        let image: PreparedImage;
        try {
          image = await prepareImage(named.data);
        } catch (error) {
          if (error instanceof NotAnImage) throw new InvalidInput([{ field: 'templates', message: `${where} ${error.message}` }]);
          throw error;
        }
        prepared.set(named.sha256, { image, copies: await this.copiesFor(image, networks, where) });
      }
      this.checkRules(`${source.file}: messages.${key}`, message.media.map((named) => ({ ...prepared.get(named.sha256)!.image, alt: named.alt, file: named.file })), networks);
    }
    for (const { image, copies } of options.store ? prepared.values() : []) {
      for (const stored of [image, ...copies.values()]) await this.media.store.put(mediaFileName(stored), stored.data);
    }
    return prepared;
  }

  async save(m: EntityManager, prepared: Map<string, PreparedTemplateImage>): Promise<TemplateMediaIds> {
    const ids = new Map<string, number>();
    for (const [sha256, { image, copies }] of prepared) {
      const original = await this.media.saveRow(m, image, { createdBy: null, sourceId: null });
      ids.set(sha256, original.id);
      for (const [network, copy] of copies) ids.set(`${sha256}|${network}`, (await this.media.saveRow(m, copy, { createdBy: null, sourceId: original.id })).id);
    }
    return (image, network) => ids.get(`${image}|${network}`) ?? ids.get(image)!;
  }

  /**
   * What an edit of the posts would refuse (too many images, alt text too long, Instagram's aspect
   * ratios), refused at import instead, for every network and locale: a plan must not hold posts
   * that can never be submitted.
   */
  private checkRules(where: string, images: (PreparedImage & { alt: Record<string, string>; file: string })[], networks: Network[]): void {
    if (images.length === 0) return;
    const errors = networks.flatMap((network) => Object.keys(images[0].alt).flatMap((locale) => {
      const problems = editProblems(network, images.map((image) => ({ ...image, alt: image.alt[locale] })));
      return problems.map((problem) => ({ field: 'templates', message: `${where}.${describeProblem(problem)} (${network}, ${locale}${problem.index === null ? '' : `, ${images[problem.index].file}`})` }));
    }));
    if (errors.length) throw new InvalidInput(errors);
  }

  /** Network rules as the edit path applies them: a copy within the network's size and types. */
  private async copiesFor(image: PreparedImage, networks: Network[], where: string): Promise<Map<Network, PreparedImage>> {
    const copies = new Map<Network, PreparedImage>();
    for (const network of networks) {
      const target = conformingTarget(network, image);
      if (!target) continue;
      const copy = await conformingCopy(image.data, target);
      if (!copy) throw new InvalidInput([{ field: 'templates', message: `${where} cannot be made to fit ${network} (${target.mime}, at most ${target.maxBytes} bytes)` }]);
      copies.set(network, copy);
    }
    return copies;
  }
}
