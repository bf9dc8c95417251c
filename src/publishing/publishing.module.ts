import { Module } from '@nestjs/common';
import { AccountsModule } from '../accounts/accounts.module';
import { MediaModule } from '../media/media.module';
import { PostsModule } from '../posts/posts.module';
import { Dispatcher } from './dispatcher.service';
import { PublisherRegistry } from './publisher-registry';
import { PublishingController } from './publishing.controller';
import { PublishingService } from './publishing.service';

@Module({
  imports: [PostsModule, AccountsModule, MediaModule],
  controllers: [PublishingController],
  providers: [PublisherRegistry, Dispatcher, PublishingService],
  exports: [Dispatcher, PublishingService, PublisherRegistry],
})
export class PublishingModule {}
