/** The browser tests launch Chromium the way the service does for its PDFs: see src/common/chromium.ts. */
export * from '../../src/common/chromium';
