import cliProgress from 'cli-progress';
import type { IndexProgress } from '../retrieval/indexer.ts';

/** A progress bar on stderr for long index work; plain lines when stderr is not a terminal. */
export function indexProgressBar(): { onProgress: (p: IndexProgress) => void; stop: () => void } {
  const bars = new Map<string, cliProgress.SingleBar>();
  const labels: Record<IndexProgress['phase'], string> = { embedding: 'Tính vector ', writing: 'Ghi dữ liệu ' };
  let lastPlain = 0;
  return {
    onProgress(p) {
      if (!process.stderr.isTTY) {
        const now = Date.now();
        if (now - lastPlain > 1000 || p.done === p.total) {
          lastPlain = now;
          process.stderr.write(`${labels[p.phase]} ${p.done}/${p.total}\n`);
        }
        return;
      }
      let bar = bars.get(p.phase);
      if (!bar) {
        for (const b of bars.values()) b.stop();
        bar = new cliProgress.SingleBar(
          { format: `${labels[p.phase]}[{bar}] {percentage}% | {value}/{total}`, stream: process.stderr, hideCursor: true },
          cliProgress.Presets.shades_classic,
        );
        bar.start(p.total, 0);
        bars.set(p.phase, bar);
      }
      bar.update(p.done);
    },
    stop() {
      for (const b of bars.values()) b.stop();
    },
  };
}
