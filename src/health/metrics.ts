import { Injectable } from '@nestjs/common';
import { Counter, Gauge, Histogram, Registry } from 'prom-client';
import { Database } from '../database/database';

/** Prometheus metrics of this process; post counts are read from the database at each scrape. */
@Injectable()
export class Metrics {
  readonly registry = new Registry();

  readonly publishAttempts = new Counter({
    name: 'scheduler_publish_attempts_total',
    help: 'Publish attempts by network and outcome (published, handed_over, transient, permanent)',
    labelNames: ['network', 'outcome'] as const,
    registers: [this.registry],
  });

  readonly publishDuration = new Histogram({
    name: 'scheduler_publish_request_seconds',
    help: 'Time one publish attempt took (the network request, or the mail for manual channels)',
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly publishDelay = new Histogram({
    name: 'scheduler_publish_delay_seconds',
    help: "From a post's scheduled instant to its recorded publication",
    buckets: [1, 5, 15, 30, 60, 120, 300, 900],
    registers: [this.registry],
  });

  readonly lastTick = new Gauge({
    name: 'scheduler_dispatcher_last_tick_seconds',
    help: "Unix time of the dispatcher's last look for due posts",
    registers: [this.registry],
  });

  constructor(db: Database) {
    new Gauge({
      name: 'scheduler_posts',
      help: 'Posts by status, all campaigns',
      labelNames: ['status'] as const,
      registers: [this.registry],
      async collect() {
        const rows: { status: string; n: string | number }[] = await db.manager.query('select status, count(*) as n from posts group by status');
        this.reset();
        for (const row of rows) this.set({ status: row.status }, Number(row.n));
      },
    });
  }
}
