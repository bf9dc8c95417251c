import { Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Browser } from 'playwright-core';
import { launchChromium } from '../common/chromium';

/** A file the printed page may load (its style sheet), by path. */
export type PrintAssets = Record<string, { contentType: string; body: string }>;

/** Where the page is printed from: a name that never resolves, so nothing could leave the machine. */
const ORIGIN = 'http://report.invalid';

/**
 * PDFs from our own HTML pages, printed by headless Chromium (one browser for the process, started
 * on first use). The page is served to the browser from memory with the assets given; every other
 * request is refused, so a printed page reaches no network and no other page of the service.
 */
@Injectable()
export class PdfPrinter implements OnModuleDestroy {
  private browser?: Promise<Browser>;

  async print(html: string, assets: PrintAssets): Promise<Buffer> {
    const browser = await this.start();
    const context = await browser.newContext({ javaScriptEnabled: false });
    try {
      await context.route('**/*', (route) => {
        const url = new URL(route.request().url());
        if (url.origin !== ORIGIN) return route.abort();
        if (url.pathname === '/') return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html });
        const asset = assets[url.pathname];
        return asset ? route.fulfill({ status: 200, contentType: asset.contentType, body: asset.body }) : route.abort();
      });
      const page = await context.newPage();
      await page.goto(`${ORIGIN}/`, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', landscape: true, printBackground: true, margin: { top: '12mm', bottom: '12mm', left: '10mm', right: '10mm' } });
    } finally {
      await context.close();
    }
  }

  async onModuleDestroy(): Promise<void> {
    const browser = this.browser;
    this.browser = undefined;
    await (await browser?.catch(() => undefined))?.close();
  }

  private start(): Promise<Browser> {
    if (!this.browser) {
      const launching = launchChromium();
      this.browser = launching;
      // A browser that failed to start or later died is started again on the next PDF.
      launching.then((b) => b.on('disconnected', () => { if (this.browser === launching) this.browser = undefined; }), () => { if (this.browser === launching) this.browser = undefined; });
    }
    return this.browser;
  }
}
