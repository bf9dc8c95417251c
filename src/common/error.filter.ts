import { ArgumentsHost, Catch, ExceptionFilter, HttpException, HttpStatus, Logger } from '@nestjs/common';
import type { Response } from 'express';
import { STATUS_CODES } from 'node:http';

/**
 * One error shape for every failure: `{statusCode, error, message, errors?}`. Body-parser errors
 * (413 too large, 400 malformed JSON) keep their status; anything unexpected is a 500 that is logged
 * and never leaks internals.
 */
@Catch()
export class ErrorFilter implements ExceptionFilter {
  private readonly logger = new Logger('HTTP');

  catch(exception: unknown, host: ArgumentsHost): void {
    const response = host.switchToHttp().getResponse<Response>();
    const { status, body } = this.describe(exception);
    if (status >= 500) this.logger.error(exception instanceof Error ? exception.stack ?? exception.message : String(exception));
    if (response.headersSent) return;
    response.status(status).json({ statusCode: status, error: STATUS_CODES[status] ?? 'Error', ...body });
  }

  private describe(exception: unknown): { status: number; body: Record<string, unknown> } {
    const parserMessage = this.bodyParserMessage((exception as { cause?: unknown })?.cause ?? exception);
    if (parserMessage) return { status: parserMessage.status, body: { message: parserMessage.message } };
    if (exception instanceof HttpException) {
      const payload = exception.getResponse();
      const body: Record<string, unknown> = typeof payload === 'string' ? { message: payload } : { ...(payload as Record<string, unknown>) };
      delete body.statusCode;
      delete body.error;
      return { status: exception.getStatus(), body };
    }
    return { status: HttpStatus.INTERNAL_SERVER_ERROR, body: { message: 'internal error' } };
  }

  /** body-parser's errors (Nest wraps them, keeping the original as `cause`). */
  private bodyParserMessage(error: unknown): { status: number; message: string } | undefined {
    const e = error as { type?: string; status?: number; limit?: number; message?: string } | undefined;
    if (e?.type === 'entity.too.large') return { status: 413, message: `request body is too large (limit ${e.limit} bytes)` };
    if (e?.type === 'entity.parse.failed') return { status: 400, message: `malformed JSON body: ${e.message}` };
    if (e?.type === 'entity.too.deep') return { status: 400, message: `refused JSON body: ${e.message}` };
    return undefined;
  }
}
