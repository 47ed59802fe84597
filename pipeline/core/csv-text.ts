/** CSV text (RFC 4180: `"` quotes, `""` a quote inside them, LF or CRLF line ends) into records of fields. */
export function csvRecords(text: string, delim = ',', maxRecords = Number.POSITIVE_INFINITY): string[][] {
  const records: string[][] = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length && records.length < maxRecords; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === delim) {
      fields.push(field);
      field = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      fields.push(field);
      records.push(fields);
      fields = [];
      field = '';
    } else field += ch;
  }
  if (records.length < maxRecords && (field !== '' || fields.length)) records.push([...fields, field]);
  return records;
}
