// @ts-check
// RFC 4180 CSV: fields separated by commas, records by CRLF or LF; a field in double quotes may hold commas,
// line breaks and doubled quotes (""). Enough for the labels files; no dependency for a dozen lines.

/**
 * @param {string} text
 * @returns {string[][]} the records, each a list of fields (a trailing line break adds no record)
 */
export function parseCsv(text) {
  /** @type {string[][]} */
  const records = [];
  /** @type {string[]} */
  let record = [];
  let field = '';
  let quoted = false;
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  for (; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === '') quoted = true;
    else if (c === ',') record.push(field), (field = '');
    else if (c === '\n' || c === '\r') {
      if (c === '\r' && text[i + 1] === '\n') i++;
      record.push(field), records.push(record), (record = []), (field = '');
    } else field += c;
  }
  if (quoted) throw new Error('unterminated quoted field at the end of the file');
  if (field !== '' || record.length > 0) record.push(field), records.push(record);
  return records;
}

/** @param {unknown} value */
export function csvField(value) {
  const text = String(value ?? '');
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** @param {unknown[]} fields */
export const csvRecord = (fields) => fields.map(csvField).join(',');
