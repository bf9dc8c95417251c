import { Controller, Get, Inject, NotFoundException, Param, Post, Res, UploadedFile, UseInterceptors } from '@nestjs/common';
import { FileInterceptor } from '@nestjs/platform-express';
import { ApiBearerAuth, ApiBody, ApiConsumes, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { existsSync } from 'node:fs';
import type { AuthUser } from '../common/auth-user';
import { CurrentUser, Public, Roles } from '../common/decorators';
import { MediaService } from './media.service';
import { RefuseLargeUpload } from './refuse-large-upload';

@ApiTags('media')
@Controller()
export class MediaController {
  constructor(@Inject(MediaService) private readonly media: MediaService) {}

  @Post('api/media')
  @ApiBearerAuth()
  @ApiConsumes('multipart/form-data')
  @ApiBody({ schema: { type: 'object', required: ['file'], properties: { file: { type: 'string', format: 'binary' } } } })
  @ApiOperation({ summary: 'upload an image (multipart field "file": PNG, JPEG, WebP or GIF, at most MEDIA_MAX_BYTES); metadata is stripped' })
  @Roles('secretariat', 'comms')
  @UseInterceptors(RefuseLargeUpload, FileInterceptor('file'))
  upload(@CurrentUser() user: AuthUser, @UploadedFile() file: { buffer: Buffer; size: number } | undefined) {
    return this.media.upload(user, file);
  }

  /**
   * Without a token: networks and webhook receivers fetch the images of the posts they get, and the
   * name is the image's SHA-256, which nobody guesses (README "Media").
   */
  @Get('media/:name')
  @Public()
  serve(@Param('name') name: string, @Res() res: Response) {
    const file = this.media.fileToServe(name);
    if (!existsSync(file.path)) throw new NotFoundException('no such image');
    res.setHeader('Cache-Control', 'public, max-age=31536000, immutable');
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.type(file.mime).sendFile(file.path);
  }
}
