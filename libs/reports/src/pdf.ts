import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import type { Browser, Route } from 'playwright-core';
import { APP_CONFIG, AppConfig, DomainError } from '@plenary/core';

/**
 * What the page may load while printing: `data:` URLs only (the report is self-contained: inline CSS, inline SVG).
 * Anything else (http, https, file, ws, a font, a stylesheet, an image...) is refused before it leaves the browser.
 */
export function mayLoad(url: string): boolean {
  return url.startsWith('data:');
}

/**
 * Prints HTML to PDF with headless Chromium (Debian's package, driven by playwright-core). One browser per process,
 * started on the first PDF and closed with the app; each PDF gets a fresh context that is offline, runs no script,
 * and has every request routed through `mayLoad`, so the HTML of a report cannot make the server fetch anything
 * (server-side request forgery, reading local files, tracking pixels).
 */
@Injectable()
export class PdfPrinter implements OnModuleDestroy {
  private browser?: Promise<Browser>;

  constructor(@Inject(APP_CONFIG) private readonly config: AppConfig) {}

  async print(html: string): Promise<Buffer> {
    if (!this.config.chromiumPath) {
      throw new DomainError(
        'PDF_UNAVAILABLE',
        501,
        'PDF export needs headless Chromium: install it (on Debian or Ubuntu: apt install chromium) or set CHROMIUM_PATH, then restart. Meanwhile, print the HTML export from a browser or use the docx export.',
      );
    }
    this.browser ??= import('playwright-core').then(({ chromium }) =>
      chromium.launch({
        executablePath: this.config.chromiumPath,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          '--no-first-run',
        ],
      }),
    );
    const context = await (
      await this.browser
    ).newContext({ offline: true, javaScriptEnabled: false, serviceWorkers: 'block', acceptDownloads: false });
    try {
      await context.route('**/*', (route: Route) =>
        mayLoad(route.request().url()) ? route.continue() : route.abort('blockedbyclient'),
      );
      const page = await context.newPage();
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({
        format: 'A4',
        printBackground: true,
        margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' },
      });
    } finally {
      await context.close();
    }
  }

  async onModuleDestroy(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b).close().catch(() => undefined);
  }
}
