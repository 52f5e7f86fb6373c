import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { setImmediate as nextTick } from 'node:timers/promises';
import type ExcelJS from 'exceljs';
import type { RowValue } from '../queries/index.ts';
import type { TableFileOptions, TableFileWriter } from './table-file-writer.ts';

/** A sheet holds 1,048,576 rows; a round million of data rows per sheet, then the next one. */
export const XLSX_ROWS_PER_SHEET = 1_000_000;
/** Excel refuses longer cell text. */
const MAX_CELL_CHARS = 32_767;
/** Header and footer text is limited to 255 characters, codes included. */
const MAX_HEADER_CHARS = 240;

export interface XlsxWriterOptions extends TableFileOptions {
  /** Data rows per sheet; default XLSX_ROWS_PER_SHEET (tests use a few). */
  rowsPerSheet?: number | undefined;
}

function toCell(value: RowValue): RowValue {
  return typeof value === 'string' && value.length > MAX_CELL_CHARS
    ? value.slice(0, MAX_CELL_CHARS)
    : value;
}

/** `&` starts a code in header and footer text; `&&` is a literal ampersand. */
const headerText = (text: string) => text.slice(0, MAX_HEADER_CHARS).replaceAll('&', '&&');

/**
 * XLSX streamed with ExcelJS's WorkbookWriter: inline strings (no shared-string table held in
 * memory), each row committed as it is written, a new sheet every `rowsPerSheet` rows (each
 * with the header), and the watermark in the document properties, in every sheet's printed
 * header and footer, and on an About sheet. Strings stay strings: a cell is never a formula.
 */
export async function openXlsxWriter(options: XlsxWriterOptions): Promise<TableFileWriter> {
  const rowsPerSheet = options.rowsPerSheet ?? XLSX_ROWS_PER_SHEET;
  const file = createWriteStream(options.path, { flags: 'wx' });
  file.on('error', () => undefined);
  await once(file, 'open');
  // Loaded on first use: ExcelJS takes about a second to import, which every CLI command and
  // every server start would otherwise pay.
  const { default: excel } = await import('exceljs');
  const workbook = new excel.stream.xlsx.WorkbookWriter({
    stream: file,
    useSharedStrings: false,
    useStyles: false,
  });
  workbook.creator = 'Sightline';
  workbook.lastModifiedBy = options.author;
  workbook.created = options.createdAt;
  workbook.modified = options.createdAt;
  workbook.title = options.title;
  workbook.subject = options.watermark;
  workbook.description = options.watermark;
  workbook.keywords = 'sightline export';

  let sheet: ExcelJS.Worksheet | null = null;
  let sheetRows = 0;
  let sheets = 0;
  let written = 0;

  function openSheet(): ExcelJS.Worksheet {
    sheets += 1;
    const opened = workbook.addWorksheet(sheets === 1 ? 'Data' : `Data ${sheets}`, {
      views: [{ state: 'frozen', ySplit: 1 }],
      headerFooter: {
        oddHeader: `&L${headerText(options.watermark)}`,
        oddFooter: `&L${headerText(options.watermark)}&RPage &P of &N`,
      },
    });
    opened.addRow([...options.columns]).commit();
    sheetRows = 0;
    return opened;
  }

  // Committing a sheet before the next one opens keeps one sheet stream open at a time: the
  // zip writes entries in order, so a second open sheet would pile up in memory.
  async function flush(): Promise<void> {
    if (file.errored) throw file.errored;
    if (file.writableNeedDrain) await once(file, 'drain');
    else await nextTick();
  }

  return {
    async writeRows(rows) {
      for (const row of rows) {
        if (!sheet || sheetRows >= rowsPerSheet) {
          sheet?.commit();
          sheet = openSheet();
        }
        sheet.addRow(row.map(toCell)).commit();
        sheetRows += 1;
        written += 1;
      }
      await flush();
    },
    async finish() {
      if (!sheet) sheet = openSheet();
      sheet.commit();
      const about = workbook.addWorksheet('About');
      about.columns = [{ width: 18 }, { width: 100 }];
      for (const [label, value] of [...options.about, ['Rows', String(written)] as const])
        about.addRow([label, value]).commit();
      about.commit();
      await workbook.commit();
      if (!file.closed) await once(file, 'close');
      return file.bytesWritten;
    },
    async abort() {
      if (file.closed) return;
      const closed = once(file, 'close').catch(() => undefined);
      file.destroy();
      await closed;
    },
  };
}
