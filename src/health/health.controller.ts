import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators';
import { Database } from '../database/database';
import { Readiness } from './readiness';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly readiness: Readiness,
  ) {}

  /** 200 only once migrations ran and the shipped campaigns are imported, and while the database answers. */
  @Get()
  @Public()
  async health() {
    if (!this.readiness.ready) throw new ServiceUnavailableException({ status: 'starting', message: 'migrations or campaign import still running' });
    try {
      await this.db.manager.query('select 1');
    } catch {
      throw new ServiceUnavailableException({ status: 'error', database: 'unreachable' });
    }
    return { status: 'ok', database: this.db.isSqlite ? 'sqlite' : 'postgres' };
  }
}
