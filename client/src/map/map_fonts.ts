import '@fontsource/noto-sans/latin-400.css';
import '@fontsource/noto-sans/latin-600.css';
import semiBoldLatinUrl from '@fontsource/noto-sans/files/noto-sans-latin-600-normal.woff2?url';

/**
 * Map text is drawn in the browser (TinySDF): with no `glyphs` URL in the style, MapLibre reads
 * each `text-font` entry as a CSS font family. Latin comes from the bundled Noto Sans; CJK falls
 * through to the system's fonts (PingFang, Microsoft YaHei, WenQuanYi …). MapLibre takes the
 * weight from the family name, so the semibold face is also registered under its own name.
 */
const CJK_SYSTEM_FONTS = ['PingFang SC', 'Hiragino Sans GB', 'Microsoft YaHei', 'Noto Sans CJK SC', 'WenQuanYi Micro Hei', 'sans-serif'];

export const MAP_FONT_REGULAR = ['Noto Sans', ...CJK_SYSTEM_FONTS];
export const MAP_FONT_SEMIBOLD = ['Noto Sans SemiBold', ...CJK_SYSTEM_FONTS];

let registered: Promise<void> | null = null;

/** Registers and loads the map's fonts; resolves even if a font fails (labels then use fallbacks). */
export function loadMapFonts(): Promise<void> {
  registered ??= (async () => {
    if (typeof document === 'undefined' || !('fonts' in document)) return;
    try {
      const semiBold = new FontFace('Noto Sans SemiBold', `url(${semiBoldLatinUrl}) format('woff2')`, {
        weight: '600',
        unicodeRange: 'U+0000-00FF, U+0131, U+0152-0153, U+02BB-02BC, U+02C6, U+02DA, U+02DC, U+2000-206F, U+20AC, U+2122, U+2191, U+2193, U+2212, U+2215, U+FEFF, U+FFFD',
      });
      document.fonts.add(semiBold);
      await Promise.all([semiBold.load(), document.fonts.load('400 16px "Noto Sans"'), document.fonts.load('600 16px "Noto Sans"')]);
    } catch {
      // Fallback fonts still draw every label.
    }
  })();
  return registered;
}
