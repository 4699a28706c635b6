// theme.js: the plots' colours and fonts, read from CSS custom properties so that the page's
// stylesheet decides them (and light and dark schemes both work).

/**
 * Okabe-Ito's eight colours, distinguishable with the common colour-vision deficiencies, as CSS
 * strings. Ordered so that two classes get blue and orange. The last is black. On a dark
 * background `readTheme().palette` is PALETTE_DARK instead (the figures draw with the theme's).
 */
export const PALETTE = Object.freeze([
  "#0072B2", // blue
  "#E69F00", // orange
  "#009E73", // bluish green
  "#CC79A7", // reddish purple
  "#56B4E9", // sky blue
  "#D55E00", // vermillion
  "#F0E442", // yellow
  "#000000", // black
]);

/**
 * The same hues a little lighter, for dark backgrounds, where Okabe-Ito's blue, green and
 * vermillion are too dim (black becomes the foreground colour).
 */
export const PALETTE_DARK = Object.freeze([
  "#3C9BE0", "#F0AA1E", "#20B58A", "#DE8FBC", "#8CD0F5", "#F07A36", "#F0E442", "#e6edf3",
]);

/** Used when the page defines none of the custom properties. */
const FALLBACK = {
  light: {
    bg: "#ffffff", panel: "#fbfcfd", fg: "#1f2328", muted: "#59636e", grid: "#e6eaef",
    axis: "#b6bfc9", point: PALETTE[0], arrow: "#7d8894",
  },
  dark: {
    bg: "#0d1117", panel: "#11161d", fg: "#e6edf3", muted: "#9198a1", grid: "#232a33",
    axis: "#4a525c", point: PALETTE_DARK[0], arrow: "#8b949e",
  },
};

/**
 * The custom properties read, each with the page-wide property tried next:
 *   --plot-bg     figure background ("transparent" leaves the canvas clear)   then --bg
 *   --plot-panel  inside of each plot area                                    then --surface
 *   --plot-fg     titles and axis labels                                      then --fg
 *   --plot-muted  tick labels and notes                                       then --muted
 *   --plot-grid   grid lines
 *   --plot-axis   the frame around each plot area                             then --border
 *   --plot-point  points drawn without labels                                 then --point
 *   --plot-arrow  velocity arrows
 *   --plot-font   font family                                                 then the canvas's font-family
 *   --plot-palette  categorical colours, comma-separated; default PALETTE (light) / PALETTE_DARK
 * @typedef {{bg: string, panel: string, fg: string, muted: string, grid: string, axis: string,
 *   point: string, arrow: string, font: string, dark: boolean, palette: string[]}} Theme
 */

/**
 * Reads the theme from the canvas's computed style (custom properties inherit, so defining them
 * on :root is enough). Cheap enough to call every frame.
 * @param {Element} [element]  the canvas; without it (or outside a browser) the light fallback
 * @returns {Theme}
 */
export function readTheme(element) {
  const hasDom = typeof getComputedStyle === "function" && element;
  const dark = typeof matchMedia === "function" && matchMedia("(prefers-color-scheme: dark)").matches;
  const base = dark ? FALLBACK.dark : FALLBACK.light;
  if (!hasDom) return { ...base, font: "sans-serif", dark, palette: [...(dark ? PALETTE_DARK : PALETTE)] };
  const style = getComputedStyle(element);
  const get = (...names) => {
    for (const name of names) {
      const v = style.getPropertyValue(name).trim();
      if (v) return v;
    }
    return "";
  };
  const theme = {
    bg: get("--plot-bg", "--bg") || base.bg,
    panel: get("--plot-panel", "--surface") || base.panel,
    fg: get("--plot-fg", "--fg") || base.fg,
    muted: get("--plot-muted", "--muted") || base.muted,
    grid: get("--plot-grid") || base.grid,
    axis: get("--plot-axis", "--border") || base.axis,
    point: get("--plot-point", "--point") || base.point,
    arrow: get("--plot-arrow") || base.arrow,
    font: get("--plot-font") || style.fontFamily || "sans-serif",
    dark: isDark(get("--plot-bg", "--bg"), dark),
  };
  const custom = get("--plot-palette").split(",").map((c) => c.trim()).filter(Boolean);
  theme.palette = custom.length > 0 ? custom : theme.dark ? [...PALETTE_DARK.slice(0, 7), theme.fg] : [...PALETTE];
  return theme;
}

/** Whether a CSS background colour is dark (by its #rrggbb / rgb() luminance), else `guess`. */
function isDark(color, guess) {
  let rgb = null;
  const hex = /^#([0-9a-f]{6})$/i.exec(color);
  if (hex) rgb = [0, 2, 4].map((i) => parseInt(hex[1].slice(i, i + 2), 16));
  const fn = /^rgba?\(\s*(\d+)[\s,]+(\d+)[\s,]+(\d+)/i.exec(color);
  if (fn) rgb = fn.slice(1, 4).map(Number);
  if (!rgb) return guess;
  return 0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2] < 128;
}

/** CSS font shorthand in the theme's family: font(theme, 11) -> "11px system-ui, ...". */
export function font(theme, size, weight = 400) {
  return `${weight} ${size}px ${theme.font}`;
}
