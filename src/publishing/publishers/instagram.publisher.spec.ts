import { InstagramPublisher } from './instagram.publisher';
import type { PublishRequest } from '../publisher';

const request = (media: PublishRequest['media']): PublishRequest => ({
  postId: 1, approvedRevision: 4, idempotencyKey: 'natc-post-1-r4', campaign: 'c', member: 'SI', network: 'instagram', locale: 'sl',
  text: 'Konec nekaznovanosti', scheduledAt: '2027-10-18T08:00:00Z', media,
});
const image = { url: 'https://scheduler.example/media/a.jpg', mime: 'image/jpeg', alt: 'Plakat', width: 1080, height: 1080, file: '/nonexistent' };

describe('InstagramPublisher', () => {
  // Nothing may be asked of the account or of Instagram: the graph URL is a closed port and credentials throw.
  const accounts = { credentials: () => Promise.reject(new Error('not to be asked')), flagNeedsReconnect: () => Promise.reject(new Error('not to be asked')) };
  const publisher = new InstagramPublisher('si-instagram', accounts, 'http://127.0.0.1:9/v26.0', 1000);

  it('fails a post without an image at once, with the reason (an Instagram feed post is an image with a caption)', async () => {
    expect(await publisher.publish(request([]))).toEqual({ kind: 'permanent', error: 'Instagram publishes only posts with an image, and this post has none: add one, or post this channel by hand' });
  });

  it('fails a post with more images than a carousel holds (10)', async () => {
    expect(await publisher.publish(request(Array.from({ length: 11 }, () => image)))).toEqual({ kind: 'permanent', error: 'Instagram takes at most 10 images in one post; this one has 11' });
  });
});
