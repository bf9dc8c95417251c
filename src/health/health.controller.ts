import { Controller, Get, ServiceUnavailableException } from '@nestjs/common';
import { ApiTags } from '@nestjs/swagger';
import { Public } from '../common/decorators';
import { Database } from '../database/database';
import { Readiness } from './readiness';
import { Dispatcher } from '../publishing/dispatcher.service';
import { Clock } from '../time/clock';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(
    private readonly db: Database,
    private readonly readiness: Readiness,
    private readonly dispatcher: Dispatcher,
    private readonly clock: Clock,
  ) {}

  /** 200 only once migrations ran and the shipped campaigns are imported, and while the database answers. */
  @Get()
  @Public()
  async health() {
    if (!this.readiness.ready) throw new ServiceUnavailableException({ status: 'starting', message: 'migrations or campaign import still running' });
    let oldestDue: string | null;
    const now = this.clock.now();
    try {
      // The lag: how long the oldest approved post has been due (0 when nothing waits).
      const [row] = await this.db.manager.query(this.db.sql("select min(scheduled_at) as oldest from posts where status = 'approved' and scheduled_at <= ?"), [now.toISOString()]);
      oldestDue = row?.oldest ?? null;
    } catch {
      throw new ServiceUnavailableException({ status: 'error', database: 'unreachable' });
    }
    return {
      status: 'ok',
      database: this.db.isSqlite ? 'sqlite' : 'postgres',
      dispatcher: {
        owner: this.dispatcher.owner,
        lastTick: this.dispatcher.lastTickAt?.toISOString() ?? null,
        lagSeconds: oldestDue ? Math.round((now.getTime() - Date.parse(oldestDue)) / 1000) : 0,
      },
    };
  }
}
