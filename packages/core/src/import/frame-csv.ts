import { decodeUtf8, formatBytes, frameLines } from "./frame-lines.ts";

/** One CSV record (it may span several lines when a quoted field holds line breaks). */
export type CsvRecord = { line: number; size: number; cells: string[]; error?: undefined } | { line: number; size: number; cells?: undefined; error: string };

const lossyUtf8 = new TextDecoder("utf-8");

/**
 * RFC 4180 records: fields separated by commas (or tabs when the first line has tabs and no
 * comma), `"` quotes a field, `""` inside quotes is a quote, and a quoted field may hold line
 * breaks (a CRLF inside one becomes LF). Blank lines between records are skipped. A record is
 * reported at the line it starts on; a bad line anywhere in it makes the whole record bad. A line
 * over `maxLineBytes` is never held, and since its quotes cannot be seen it is taken to end its record.
 */
export async function* csvRecords(chunks: AsyncIterable<Uint8Array>, maxLineBytes: number): AsyncGenerator<CsvRecord> {
  let delimiter: string | undefined;
  let cells: string[] = [];
  let field = "";
  let inQuotes = false;
  let fieldStarted = false;
  let recordLine = 0;
  let recordSize = 0;
  let recordError: string | undefined;

  const startRecord = (line: number) => {
    cells = [];
    field = "";
    inQuotes = false;
    fieldStarted = false;
    recordLine = line;
    recordSize = 0;
    recordError = undefined;
  };
  const endRecord = (): CsvRecord => {
    const record: CsvRecord =
      recordError !== undefined ? { line: recordLine, size: recordSize, error: recordError } : { line: recordLine, size: recordSize, cells };
    recordLine = 0;
    cells = [];
    return record;
  };

  for await (const physical of frameLines(chunks, maxLineBytes)) {
    if (recordLine === 0) {
      if (physical.bytes !== undefined && physical.bytes.every((byte) => byte === 0x20 || byte === 0x09)) continue;
      startRecord(physical.line);
    }
    recordSize += physical.size;
    if (physical.bytes === undefined) {
      recordError ??= `line ${physical.line} is ${formatBytes(physical.size)}, over the ${formatBytes(maxLineBytes)} limit (maxLineBytes); it was not read`;
      yield endRecord();
      continue;
    }
    let text = decodeUtf8(physical.bytes);
    if (text === undefined) {
      recordError ??= `line ${physical.line} is not valid UTF-8`;
      text = lossyUtf8.decode(physical.bytes);
    }
    if (recordSize > maxLineBytes) {
      recordError ??= `the record is over the ${formatBytes(maxLineBytes)} limit (maxLineBytes)`;
      cells = [];
    }
    delimiter ??= !text.includes(",") && text.includes("\t") ? "\t" : ",";

    let segment = 0;
    for (let i = 0; i < text.length; i++) {
      const char = text[i];
      if (inQuotes) {
        if (char !== '"') continue;
        field += text.slice(segment, i);
        if (text[i + 1] === '"') {
          field += '"';
          i++;
        } else inQuotes = false;
        segment = i + 1;
      } else if (char === delimiter) {
        field += text.slice(segment, i);
        if (recordError === undefined) cells.push(field);
        field = "";
        fieldStarted = false;
        segment = i + 1;
      } else if (char === '"' && !fieldStarted) {
        inQuotes = true;
        fieldStarted = true;
        segment = i + 1;
      } else fieldStarted = true;
    }
    field += text.slice(segment);
    if (recordError !== undefined) field = "";
    if (inQuotes) {
      field += "\n";
      continue;
    }
    if (recordError === undefined) cells.push(field);
    field = "";
    yield endRecord();
  }
  if (recordLine !== 0) {
    recordError ??= `unterminated quoted field: the file ends inside the quotes opened in the record starting on line ${recordLine}`;
    yield endRecord();
  }
}
