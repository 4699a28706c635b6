// plots.js: the page's canvas plotting library. It draws what the engine returns (Float32Arrays)
// and does no modelling itself: layout, scales, ticks, colours and drawing only. The pieces live
// in plots/; this entry re-exports them.
//
//   plots/ticks.js    niceTicks, logTicks, formatTick, formatLogTick              (pure)
//   plots/data.js     panelGrid, timePanelIndices, stateIndex, interpolateState,
//                     emaSmooth, decimateMinMax, bucketMeans, pointLimits, groupByLabel,
//                     trailAlpha; for figure descriptions autoRange, markExtent, figureLimits,
//                     quiverGeometry, pointScale (pure)
//   plots/theme.js    PALETTE (Okabe-Ito), PALETTE_DARK, readTheme (CSS custom properties --plot-*)
//   plots/canvas.js   fitCanvas (devicePixelRatio), paintBackground
//   plots/axes.js     Axes: one plot area with its grid, ticks, labels and title
//   plots/marks.js    scatter, polyline, arrows, particles, dots, quiver, cells (batched drawing)
//   plots/figures.js  drawDataVsGenerated, drawTimePanels, drawLossCurve, drawTransport,
//                     suggestHeight
//   plots/figure.js   drawFigure, figureHeight: the engine's matplotlib figure descriptions
//                     (crate/src/plot), drawn at the figure's scale
//
// Arrays are row-major and flat: points (n, 2) are x0, y0, x1, y1, ...; a trajectory
// (steps + 1, n, 2) holds state s (time s / steps) at offset s * 2n; a velocity field (ny, nx, 2)
// holds node (row j, column i) at offset 2 (j nx + i), row 0 being the bottom (ymin).

export { MINUS, niceTicks, niceStep, logTicks, formatTick, formatLogTick, stepDecimals } from "./plots/ticks.js";
export {
  panelGrid, timePanelIndices, stateIndex, interpolateState, emaSmooth, decimateMinMax, bucketMeans, pointLimits,
  groupByLabel, trailAlpha, AXIS_MARGIN, autoRange, markExtent, figureLimits, quiverGeometry, pointScale,
} from "./plots/data.js";
export { PALETTE, PALETTE_DARK, readTheme } from "./plots/theme.js";
export { fitCanvas, paintBackground } from "./plots/canvas.js";
export { Axes } from "./plots/axes.js";
export { scatter, polyline, arrows, particles, dots, quiver, cells, bars } from "./plots/marks.js";
export { NARROW, suggestHeight, drawDataVsGenerated, drawTimePanels, drawLossCurve, drawTransport } from "./plots/figures.js";
export { drawFigure, figureHeight } from "./plots/figure.js";
