import { Global, Module, OnApplicationShutdown } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { APP_CONFIG, AppConfig } from '../config/config';
import { Database, dataSourceOptions, openDataSource } from './database';

@Global()
@Module({
  imports: [
    TypeOrmModule.forRootAsync({
      inject: [APP_CONFIG],
      useFactory: (config: AppConfig) => dataSourceOptions(config),
      dataSourceFactory: (options) => openDataSource(options!),
    }),
  ],
  providers: [{ provide: Database, inject: [DataSource], useFactory: (dataSource: DataSource) => new Database(dataSource) }],
  exports: [Database],
})
export class DatabaseModule implements OnApplicationShutdown {
  constructor(private readonly db: Database) {}

  onApplicationShutdown(): Promise<void> {
    return this.db.closeReader();
  }
}
