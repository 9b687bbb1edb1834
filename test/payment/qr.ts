import jsQR from 'jsqr';
import { PNG } from 'pngjs';

/** The PNG read back as a QR code, the way a banking app's camera would; null when no code is found. */
export function decodeQrPng(png: Buffer): string | null {
  const img = PNG.sync.read(png);
  // jsqr is CommonJS: under NodeNext its function is the default import's `default` (also there at run time)
  return jsQR.default(new Uint8ClampedArray(img.data), img.width, img.height)?.data ?? null;
}
