import { Inject, Injectable, OnModuleDestroy } from '@nestjs/common';
import { APP_CONFIG, AppConfig, DomainError } from '@plenary/core';

type Browser = { newPage(): Promise<{ setContent(html: string, o: object): Promise<void>; pdf(o: object): Promise<Buffer>; close(): Promise<void> }>; close(): Promise<void> };

/**
 * Prints HTML to PDF with headless Chromium (Debian's package, driven by playwright-core). One browser per process,
 * started on the first PDF and closed with the app.
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
        args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
      }) as unknown as Promise<Browser>,
    );
    const page = await (await this.browser).newPage();
    try {
      await page.setContent(html, { waitUntil: 'load' });
      return await page.pdf({ format: 'A4', printBackground: true, margin: { top: '15mm', bottom: '15mm', left: '12mm', right: '12mm' } });
    } finally {
      await page.close();
    }
  }

  async onModuleDestroy(): Promise<void> {
    const b = this.browser;
    this.browser = undefined;
    if (b) await (await b).close().catch(() => undefined);
  }
}
