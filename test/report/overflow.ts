import type { Page } from 'playwright-core';

/**
 * The elements whose right edge passes the page's width (beyond a 1 px rounding slack), and the document's scroll
 * width: what a reader sees as a horizontal scrollbar or, printed, as a cut-off column. Run in the page as a string,
 * so this file needs no DOM types.
 */
export async function overflowOf(page: Page): Promise<{ pageWidth: number; scrollWidth: number; wider: string[] }> {
  return (await page.evaluate(`(() => {
    const pageWidth = document.documentElement.clientWidth;
    const wider = [...document.body.querySelectorAll('*')]
      .filter((e) => { const r = e.getBoundingClientRect(); return r.width > 0 && (r.right > pageWidth + 1 || r.left < -1); })
      .map((e) => e.tagName.toLowerCase() + (e.className && typeof e.className === 'string' ? '.' + e.className : '') + ' ' + Math.round(e.getBoundingClientRect().right) + 'px: ' + (e.textContent || '').slice(0, 40));
    return { pageWidth, scrollWidth: document.documentElement.scrollWidth, wider };
  })()`)) as { pageWidth: number; scrollWidth: number; wider: string[] };
}
