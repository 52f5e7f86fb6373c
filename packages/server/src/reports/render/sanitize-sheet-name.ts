/** Excel's limit on a sheet name, in UTF-16 code units. */
export const MAX_SHEET_NAME_LENGTH = 31;

// Excel refuses these characters in sheet names; control characters break the XML.
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /[\\/?*[\]:\u0000-\u001f\u007f]/g;

function truncateToUnits(text: string, maxUnits: number): string {
  let result = '';
  // By code point, so a character outside the BMP is never cut in half.
  for (const char of text) {
    if (result.length + char.length > maxUnits) break;
    result += char;
  }
  return result;
}

function cleanName(title: string): string {
  const replaced = title.replace(FORBIDDEN, ' ').replace(/\s+/g, ' ').trim();
  // A name may not begin or end with an apostrophe (Excel quotes names with them in formulas).
  const unquoted = truncateToUnits(replaced, MAX_SHEET_NAME_LENGTH)
    .replace(/^'+|'+$/g, '')
    .trim();
  return unquoted.toLowerCase() === 'history' ? `${unquoted} 1` : unquoted;
}

/**
 * A function giving each title a sheet name Excel accepts: forbidden characters replaced, at most
 * 31 characters, and unique ignoring case (as Excel compares them) among the names given so far and
 * `reserved`. An empty result falls back to `fallback`.
 */
export function createSheetNamer(
  reserved: string[] = [],
): (title: string, fallback: string) => string {
  const taken = new Set(reserved.map((name) => name.toLowerCase()));
  return (title, fallback) => {
    const base = cleanName(title) || cleanName(fallback) || 'Sheet';
    let name = base;
    for (let n = 2; taken.has(name.toLowerCase()); n += 1) {
      const suffix = ` (${n})`;
      name = `${truncateToUnits(base, MAX_SHEET_NAME_LENGTH - suffix.length).trimEnd()}${suffix}`;
    }
    taken.add(name.toLowerCase());
    return name;
  };
}
