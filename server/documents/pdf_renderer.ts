/**
 * PDF from the same HTML the browser prints, through headless Chromium driven by playwright-core.
 * Why Chromium and not a pure-JS renderer: the documents are Chinese text with CSS layout; pure-JS
 * PDF writers (pdfkit, pdfmake, jsPDF) need their own layout code and an embedded CJK font of
 * ~10 MB per deployment and would print something other than the page the officer previews.
 * Chromium is not on every deployment: without it the route answers 503 PDF_RENDERER_UNAVAILABLE
 * and the HTML page still prints to PDF from any browser. One browser is kept per process and
 * launched on first use.
 */
import { existsSync } from 'node:fs';
import { AppError } from '../http/errors.ts';

type Browser = { newPage(): Promise<Page>; close(): Promise<void> };
type Page = {
  setContent(html: string, options: { waitUntil: 'load' }): Promise<void>;
  pdf(options: { format: 'A4'; printBackground: boolean; preferCSSPageSize: boolean }): Promise<Buffer>;
  close(): Promise<void>;
};

let browserPromise: Promise<Browser> | null = null;

function unavailable(reason: string): AppError {
  return new AppError(503, 'PDF_RENDERER_UNAVAILABLE', `PDF download is not available on this server (${reason}); open the document and print it to PDF from the browser`);
}

async function browser(chromiumPath: string): Promise<Browser> {
  if (!existsSync(chromiumPath)) throw unavailable(`no Chromium at ${chromiumPath}; set LUYU_CHROMIUM_PATH`);
  browserPromise ??= (async () => {
    let playwright: { chromium: { launch(options: { executablePath: string; args: string[] }): Promise<Browser> } };
    try {
      playwright = (await import('playwright-core')) as unknown as typeof playwright;
    } catch {
      throw unavailable('playwright-core is not installed');
    }
    return playwright.chromium.launch({ executablePath: chromiumPath, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
  })().catch((error: unknown) => {
    browserPromise = null;
    throw error instanceof AppError ? error : unavailable(`Chromium did not start: ${(error as Error).message}`);
  });
  return browserPromise;
}

/** A4 PDF of a self-contained page (no network: the HTML carries its styles and SVG inline). */
export async function renderPdf(html: string, chromiumPath: string): Promise<Buffer> {
  const page = await (await browser(chromiumPath)).newPage();
  try {
    await page.setContent(html, { waitUntil: 'load' });
    return await page.pdf({ format: 'A4', printBackground: true, preferCSSPageSize: true });
  } finally {
    await page.close();
  }
}

/** Closes the shared browser (shutdown, tests). */
export async function closePdfRenderer(): Promise<void> {
  const pending = browserPromise;
  browserPromise = null;
  if (pending) await (await pending.catch(() => null))?.close();
}
