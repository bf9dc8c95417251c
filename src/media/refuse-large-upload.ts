import { CallHandler, ExecutionContext, Inject, Injectable, NestInterceptor, PayloadTooLargeException } from '@nestjs/common';
import type { Observable } from 'rxjs';
import { APP_CONFIG, AppConfig } from '../config/config';

/** Room for the multipart boundaries and headers around the file. */
const MULTIPART_OVERHEAD = 64 * 1024;

/**
 * 413 from the Content-Length alone, before a byte of the body is read. Multer's own limit
 * (MulterModule options) stops a body that does not announce its size once the file passes it.
 */
@Injectable()
export class RefuseLargeUpload implements NestInterceptor {
  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const length = Number(context.switchToHttp().getRequest().headers['content-length']);
    if (length > this.config.media.maxBytes + MULTIPART_OVERHEAD) {
      throw new PayloadTooLargeException(`the upload is too large (limit ${this.config.media.maxBytes} bytes, MEDIA_MAX_BYTES)`);
    }
    return next.handle();
  }
}
