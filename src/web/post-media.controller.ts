import { Controller, Param, ParseIntPipe, Post, Res, UploadedFile, UseFilters, UseGuards, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiExcludeController } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';
import type { Response } from 'express';
import { Public } from '../common/decorators';
import { MediaService } from '../media/media.service';
import { RefuseLargeUpload } from '../media/refuse-large-upload';
import { PostsService } from '../posts/posts.service';
import type { PostResponse } from '../posts/post.mapper';
import { RevisionDto } from '../approvals/dto/approval-action.dto';
import { Form } from './form';
import { CurrentSession, WebSessionGuard } from './session.guard';
import type { WebSession } from './sessions.service';
import { WebErrorFilter } from './web-errors';

/** The alt text of one image, as the API's PostMediaInputDto takes it. */
export class MediaAltForm extends RevisionDto {
  @IsString()
  @MaxLength(5000)
  alt!: string;
}

export class MediaUploadForm extends RevisionDto {
  @IsOptional()
  @IsString()
  @MaxLength(5000)
  alt?: string;
}

/**
 * The images of a post on its page: upload one, write or change an image's alt text, remove one.
 * Each is an edit through PostsService.edit with the whole list, like PATCH /api/posts/:id
 * `media`: the same role, member, revision and network checks, and approvals reset.
 */
@ApiExcludeController()
@Public()
@Controller('posts/:id/media')
@UseGuards(WebSessionGuard)
@UseFilters(WebErrorFilter)
export class PostMediaController {
  constructor(
    private readonly posts: PostsService,
    private readonly media: MediaService,
  ) {}

  @Post()
  @UseInterceptors(RefuseLargeUpload, FileInterceptor('file'))
  async upload(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Form(MediaUploadForm, { blankIsAbsent: ['alt'] }) form: MediaUploadForm,
    @UploadedFile() file: { buffer: Buffer; size: number } | undefined, @Res() response: Response) {
    // Refused (403, 404, 409) before the image is stored: a refused request leaves nothing behind.
    const post = await this.posts.assertEditable(session.user, id, form.revision);
    const uploaded = await this.media.upload(session.user, file);
    await this.posts.edit(session.user, id, { revision: form.revision, media: [...current(post), { id: uploaded.id, alt: tidy(form.alt ?? '') }] });
    return edited(response, id);
  }

  @Post(':position')
  async alt(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Param('position', ParseIntPipe) position: number, @Form(MediaAltForm) form: MediaAltForm, @Res() response: Response) {
    const media = current(await this.posts.get(session.user, id));
    if (media[position]) media[position] = { ...media[position], alt: tidy(form.alt) };
    await this.posts.edit(session.user, id, { revision: form.revision, media });
    return edited(response, id);
  }

  @Post(':position/remove')
  async remove(@CurrentSession() session: WebSession, @Param('id', ParseIntPipe) id: number, @Param('position', ParseIntPipe) position: number, @Form(RevisionDto) form: RevisionDto, @Res() response: Response) {
    const media = current(await this.posts.get(session.user, id)).filter((_, i) => i !== position);
    await this.posts.edit(session.user, id, { revision: form.revision, media });
    return edited(response, id);
  }
}

function current(post: PostResponse): { id: number; alt: string }[] {
  return post.media.map((m) => ({ id: m.id, alt: m.alt }));
}

/** A textarea sends CRLF line breaks; alt texts keep LF, as the API's clients send them. */
function tidy(alt: string): string {
  return alt.replace(/\r\n/g, '\n').trim();
}

function edited(response: Response, id: number): void {
  response.redirect(303, `/posts/${id}?done=edit`);
}
