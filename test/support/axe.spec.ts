import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { seriousViolations } from './axe';

/** The bar every page test relies on: the helper does find what it is there to find. */
describe('seriousViolations', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('reports an image without alt, a field without a label, text without contrast and buttons too small to tap; nothing on a sound page', async () => {
    const page = await browser.newPage();
    try {
      await page.setContent(`<!doctype html><html lang="en"><head><title>Broken</title></head><body><main>
        <h1>Campaign</h1><img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <input type="text"><p style="color:#eee;background:#fff">Week 2: capacity building</p></main></body></html>`);
      const found = await seriousViolations(page);
      expect(found.map((line) => line.split(' ')[1]).sort()).toEqual(['color-contrast', 'image-alt', 'label']);

      await page.setContent(`<!doctype html><html lang="en"><head><title>Sound</title></head><body><main>
        <h1>Campaign</h1><img alt="NATC SEE" src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
        <label>Theme <input type="text"></label><p>Week 2: capacity building</p></main></body></html>`);
      expect(await seriousViolations(page)).toEqual([]);

      // WCAG 2.2's target size (2.5.8), which axe leaves out unless asked for by tag.
      await page.setContent(`<!doctype html><html lang="en"><head><title>Small</title></head><body><main>
        <h1>Campaign</h1><div><button style="width:12px;height:12px;padding:0;border:0">a</button><button style="width:12px;height:12px;padding:0;border:0">b</button></div></main></body></html>`);
      expect((await seriousViolations(page)).map((line) => line.split(' ')[1])).toEqual(['target-size']);
    } finally {
      await page.close();
    }
  });
});
