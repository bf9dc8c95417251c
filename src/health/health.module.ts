import { Global, Module } from '@nestjs/common';
import { PublishingModule } from '../publishing/publishing.module';
import { HealthController } from './health.controller';
import { Metrics } from './metrics';
import { MetricsController } from './metrics.controller';

@Global()
@Module({ controllers: [MetricsController], providers: [Metrics], exports: [Metrics] })
export class MetricsModule {}

@Module({ imports: [PublishingModule], controllers: [HealthController] })
export class HealthModule {}
