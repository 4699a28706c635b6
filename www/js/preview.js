// preview.js: a small scatter plot of 2-D points on a canvas (the engine check on the start page).

/**
 * Draws points scaled to fit the canvas, keeping x and y at the same scale.
 * @param {HTMLCanvasElement} canvas
 * @param {Float32Array} points  (n, 2), row-major: x0, y0, x1, y1, ...
 */
export function drawScatter(canvas, points) {
  const ctx = canvas.getContext("2d");
  const { width, height } = canvas;
  const style = getComputedStyle(canvas);
  ctx.clearRect(0, 0, width, height);
  const n = Math.floor(points.length / 2);
  if (n === 0) return;

  let [xmin, xmax, ymin, ymax] = [Infinity, -Infinity, Infinity, -Infinity];
  for (let i = 0; i < n; i++) {
    const x = points[2 * i];
    const y = points[2 * i + 1];
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    xmin = Math.min(xmin, x);
    xmax = Math.max(xmax, x);
    ymin = Math.min(ymin, y);
    ymax = Math.max(ymax, y);
  }
  if (!Number.isFinite(xmin)) return;

  const pad = 16;
  const scale = Math.min(
    (width - 2 * pad) / Math.max(xmax - xmin, 1e-6),
    (height - 2 * pad) / Math.max(ymax - ymin, 1e-6),
  );
  const x0 = (width - scale * (xmax - xmin)) / 2;
  const y0 = (height - scale * (ymax - ymin)) / 2;

  ctx.fillStyle = style.getPropertyValue("--point").trim() || "#2563eb";
  for (let i = 0; i < n; i++) {
    const px = x0 + scale * (points[2 * i] - xmin);
    const py = height - (y0 + scale * (points[2 * i + 1] - ymin)); // y grows upwards
    ctx.beginPath();
    ctx.arc(px, py, 2.2, 0, 2 * Math.PI);
    ctx.fill();
  }
}
