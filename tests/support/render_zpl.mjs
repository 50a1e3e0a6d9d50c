// Renders ZPL read on stdin to a PNG on stdout with zpl-renderer-js (zebrash compiled to wasm), for the label tests.
// Usage: node tests/support/render_zpl.mjs [DPMM] < label.zpl > label.png   (DPMM: 8 for 203 dpi, 12 for 300)
// The label is 4 x 6 in (101.6 x 152.4 mm). Exit status 2 when the renderer refuses the ZPL.
import fs from "node:fs";
import { ready } from "zpl-renderer-js";

const dpmm = Number(process.argv[2] || 8);
const zpl = fs.readFileSync(0, "utf8");
const { api } = await ready;
try {
  const png = await api.zplToBase64Async(zpl, 101.6, 152.4, dpmm);
  process.stdout.write(Buffer.from(png, "base64"));
} catch (err) {
  process.stderr.write(`zpl-renderer-js refused the label: ${err}\n`);
  process.exit(2);
}
