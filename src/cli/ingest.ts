import fs from 'node:fs';
import { parseArgs } from 'node:util';
import { openKnowledgeBase } from '../app/knowledge-base.ts';
import { writeCatalogue } from '../knowledge/catalogue.ts';
import { mergeSources, type SourceBatch } from '../knowledge/merge-sources.ts';
import { itemText } from '../knowledge/model/items.ts';
import { modelStats } from '../knowledge/model/index.ts';
import { countRecords, detectFormat, FORMAT_LABELS, parseSource } from '../knowledge/source-format.ts';
import { createLogger } from '../util/logger.ts';
import { indexProgressBar } from './progress.ts';
import { runCli, UsageError } from './main.ts';

const KEEP_OLD = 'giữ nguyên cơ sở tri thức cũ';

/**
 * `npm run ingest` re-indexes the committed knowledge base (migrations first).
 * `npm run ingest -- --from FILE [--from FILE …]` first regenerates knowledge/procedures.jsonl from exports: each
 * file's format (national listing, portal API, defence ministry) is told from its first recognisable line; bad lines
 * are reported with their line numbers on stderr and skipped; where a code is in several files the more recently
 * updated record wins (else the portal over the listing over the defence ministry). When a file cannot be read or
 * yields nothing usable, the previous knowledge base is left as it was.
 */
runCli(async (config, argv) => {
  const log = createLogger(config.logLevel);
  const { values } = parseArgs({ args: argv, options: { from: { type: 'string', multiple: true } } });
  const files = values.from ?? [];
  if (files.length > 0) {
    const batches: (SourceBatch & { format: string; read: number; rejected: number })[] = [];
    for (const file of files) {
      if (!fs.existsSync(file)) throw new UsageError(`không tìm thấy tệp ${file}`);
      const text = fs.readFileSync(file, 'utf8');
      const format = detectFormat(text);
      if (!format) {
        throw new UsageError(`${file}: không nhận ra định dạng (danh mục quốc gia, API cổng DVC, Bộ Quốc phòng) và không đọc được thủ tục nào; ${KEEP_OLD}`);
      }
      const { procedures, errors } = parseSource(format, text);
      for (const e of errors) process.stderr.write(`${file}:${e.line}: bỏ qua: ${e.reason}\n`);
      if (procedures.length === 0) throw new UsageError(`${file}: không đọc được thủ tục nào; ${KEEP_OLD}`);
      batches.push({ name: file, format: FORMAT_LABELS[format], procedures, read: countRecords(text), rejected: errors.length });
    }
    const merged = mergeSources(batches);
    if (merged.procedures.length === 0) throw new UsageError(`không đọc được thủ tục nào; ${KEEP_OLD}`);
    for (const c of merged.conflicts) process.stderr.write(`${c.code}: giữ bản của ${c.winner}, thay bản của ${c.losers.join(', ')}\n`);
    batches.forEach((batch, i) => {
      const s = merged.stats[i]!;
      process.stdout.write(
        `${batch.name} [${batch.format}]: đọc ${batch.read}, bỏ qua ${batch.rejected}, giữ ${s.kept}, bị thay ${s.overridden}, thay ${s.overrode} mã của nguồn khác\n`,
      );
      log.info({ file: batch.name, format: batch.format, read: batch.read, rejected: batch.rejected, kept: s.kept, overridden: s.overridden, overrode: s.overrode }, 'source read');
    });
    process.stdout.write(`tổng: ${merged.procedures.length} thủ tục, ${merged.conflicts.length} mã có ở nhiều nguồn\n`);
    writeCatalogue(config.knowledgeDir, merged.procedures);
    const m = modelStats(merged.procedures, (p) => p.documentGroups.flatMap((g) => g.documents.map((d) => itemText(d.name))));
    const pc = (n: number) => `${((100 * n) / (m.items || 1)).toFixed(1)}%`;
    process.stdout.write(
      `mô hình: ${m.items} giấy tờ; có điều kiện ${m.itemsWithCondition} (${pc(m.itemsWithCondition)}); có phương án thay thế ${m.itemsWithAlternatives} (${pc(m.itemsWithAlternatives)}); ` +
        `giữ nguyên văn ${m.itemsKeptWhole} (${pc(m.itemsKeptWhole)}); ghi chú ${m.notes}; thủ tục có ít nhất một trường hợp ${m.recordsWithCase}/${m.records}\n`,
    );
    log.info({ procedures: merged.procedures.length, codesInSeveralSources: merged.conflicts.length }, 'catalogue written');
  }
  const t0 = performance.now();
  const progress = indexProgressBar();
  const kb = await openKnowledgeBase(config, { onProgress: progress.onProgress });
  progress.stop();
  log.info({ ...kb.report, seconds: ((performance.now() - t0) / 1000).toFixed(1) }, 'index up to date');
  await kb.close();
});
