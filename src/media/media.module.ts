import { Module } from '@nestjs/common';
import { MulterModule } from '@nestjs/platform-express';
import { APP_CONFIG, AppConfig } from '../config/config';
import { MediaController } from './media.controller';
import { MediaService } from './media.service';
import { TemplateImages } from './template-images';

@Module({
  imports: [
    // Memory storage: the bytes are checked and re-encoded before anything is written to MEDIA_DIR.
    MulterModule.registerAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => ({ limits: { fileSize: config.media.maxBytes, files: 1, fields: 10, parts: 11 } }),
    }),
  ],
  controllers: [MediaController],
  providers: [MediaService, TemplateImages],
  // MulterModule too: a controller elsewhere (the web's upload form) gets the same limits.
  exports: [MediaService, TemplateImages, MulterModule],
})
export class MediaModule {}
