/**
 * Reading a page of a search (a Bundle) from its text as the server sent it:
 * - the page as sync takes it: each resource with its text exactly as sent (pageFrom). The cache
 *   keeps a few resources as sent (the questionnaire, anything quarantined); cutting them out of
 *   the page already received costs one pass over the text (≈15 ms for 9 MB here) where
 *   serialising every parsed resource again cost ≈85 ms, and is done only for a page that needs it;
 * - the next link, before the page is parsed (leadingNextLink).
 *
 * Reads only text that JSON.parse accepts (the next link is checked against it once the page is
 * parsed), and follows JSON.parse where it matters: a key given twice counts the last time. Keys
 * written with escapes ("\u0065ntry") it leaves to the caller: null means "not found this way",
 * never "not there".
 */
import type { Bundle } from '@medplum/fhirtypes';

export interface FhirPage {
  resources: unknown[];
  /** Each resource's JSON exactly as the server sent it; null where it could not be cut out of the page. Cut out when first read. */
  readonly texts: (string | null)[];
  /**
   * The server's own time for the page: the earlier of Bundle.meta.lastUpdated and the answer's
   * Date header, when it gives either. A sync starts its next from here, never from its own clock.
   */
  servedAt: string | null;
  /** The answer's Date header, as an instant: the server's clock when it answered. */
  answeredAt: string | null;
}

/** An instant as ISO 8601 in UTC, or null when it is not one. */
function instant(value: unknown): string | null {
  if (typeof value !== 'string') return null;
  const at = Date.parse(value);
  return Number.isNaN(at) ? null : new Date(at).toISOString();
}

/** The server's times for a page: the earliest it gives (a page's time can be from when its search began). */
export function serverTimes(bundleLastUpdated: unknown, dateHeader: string | null): Pick<FhirPage, 'servedAt' | 'answeredAt'> {
  const answeredAt = instant(dateHeader);
  const times = [instant(bundleLastUpdated), answeredAt].filter((t): t is string => t !== null).sort();
  return { servedAt: times[0] ?? null, answeredAt };
}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_OBJECT = 0x7b;
const CLOSE_OBJECT = 0x7d;
const OPEN_ARRAY = 0x5b;
const CLOSE_ARRAY = 0x5d;
const COMMA = 0x2c;

const isSpace = (c: number): boolean => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

function skipSpace(text: string, at: number): number {
  while (isSpace(text.charCodeAt(at))) at++;
  return at;
}

/** From an opening quote to just after its closing quote. */
function endOfString(text: string, at: number): number {
  for (let from = at + 1; ; ) {
    const quote = text.indexOf('"', from);
    if (quote < 0) throw new SyntaxError('unterminated string');
    // Escaped when an odd number of backslashes stands before it.
    let slashes = 0;
    while (text.charCodeAt(quote - 1 - slashes) === BACKSLASH) slashes++;
    if (slashes % 2 === 0) return quote + 1;
    from = quote + 1;
  }
}

/** From the first character of any value to just after it. */
function endOfValue(text: string, at: number): number {
  const first = text.charCodeAt(at);
  if (first === QUOTE) return endOfString(text, at);
  if (first !== OPEN_OBJECT && first !== OPEN_ARRAY) {
    // A number, true, false or null: up to the next separator.
    let end = at;
    for (let c = first; !(c === COMMA || c === CLOSE_OBJECT || c === CLOSE_ARRAY || isSpace(c) || Number.isNaN(c)); c = text.charCodeAt(++end));
    return end;
  }
  let depth = 0;
  for (let i = at; i < text.length; ) {
    const c = text.charCodeAt(i);
    if (c === QUOTE) {
      i = endOfString(text, i);
      continue;
    }
    if (c === OPEN_OBJECT || c === OPEN_ARRAY) depth++;
    else if (c === CLOSE_OBJECT || c === CLOSE_ARRAY) {
      depth--;
      if (depth === 0) return i + 1;
    }
    i++;
  }
  throw new SyntaxError('unterminated value');
}

/**
 * Walks the members of the object starting at `at`: `valueEnd(key, start)` reads each value
 * (or skips it) and says where it ends. Returns where the object ends, or -1 at a key written
 * with an escape.
 */
function eachMember(text: string, at: number, valueEnd: (key: string, start: number) => number): number {
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_OBJECT) return i + 1;
  for (;;) {
    const keyEnd = endOfString(text, i);
    const key = text.slice(i + 1, keyEnd - 1);
    if (key.includes('\\')) return -1;
    const end = valueEnd(key, skipSpace(text, skipSpace(text, keyEnd) + 1)); // past the colon
    if (end < 0) return -1;
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === CLOSE_OBJECT) return i + 1;
    i = skipSpace(text, i + 1); // past the comma
  }
}

/** The entries' resources, from the `[` at `at`, and where the array ends (-1 when it cannot be read). */
function readEntries(text: string, at: number): { texts: (string | null)[]; end: number } {
  const texts: (string | null)[] = [];
  if (text.charCodeAt(at) !== OPEN_ARRAY) return { texts, end: -1 };
  let i = skipSpace(text, at + 1);
  if (text.charCodeAt(i) === CLOSE_ARRAY) return { texts, end: i + 1 };
  for (;;) {
    if (text.charCodeAt(i) !== OPEN_OBJECT) return { texts, end: -1 };
    let resource: string | null = null;
    const end = eachMember(text, i, (key, start) => {
      const valueEnd = endOfValue(text, start);
      if (key === 'resource') resource = text.slice(start, valueEnd);
      return valueEnd;
    });
    if (end < 0) return { texts, end: -1 };
    texts.push(resource);
    i = skipSpace(text, end);
    if (text.charCodeAt(i) === CLOSE_ARRAY) return { texts, end: i + 1 };
    i = skipSpace(text, i + 1);
  }
}

/**
 * For each element of the Bundle's `entry` array, in order, the text of its `resource` (null
 * for an entry without one). Null when the text cannot be read this way.
 */
export function entryResourceTexts(text: string): (string | null)[] | null {
  try {
    const top = skipSpace(text, 0);
    if (text.charCodeAt(top) !== OPEN_OBJECT) return null;
    let entries: (string | null)[] = [];
    const end = eachMember(text, top, (key, start) => {
      if (key !== 'entry') return endOfValue(text, start);
      const read = readEntries(text, start);
      entries = read.texts;
      return read.end;
    });
    return end < 0 ? null : entries;
  } catch {
    return null;
  }
}

/**
 * The url of the `next` link in a Bundle's parsed `link`; null when it has none. Throws when the
 * links are not a list of links or the next one has no url: a page whose next link cannot be
 * read must never be taken for the last.
 */
export function nextLinkOf(links: unknown): string | null {
  if (links === undefined) return null;
  if (!Array.isArray(links)) throw new TypeError('link is not a list');
  for (const link of links as unknown[]) {
    if (typeof link !== 'object' || link === null) throw new TypeError('a link is not an object');
    const { relation, url } = link as { relation?: unknown; url?: unknown };
    if (relation !== 'next') continue;
    if (typeof url !== 'string' || url === '') throw new TypeError('the next link has no url');
    return url;
  }
  return null;
}

/**
 * The Bundle's `next` link when its `link` member comes before `entry`, as servers commonly
 * write it: read from the text before the page is parsed, so that the next page can be asked
 * for while this one is. Null when there is none, when it comes after the entries (the rest of
 * the page would have to be read to find it), or when it cannot be read this way. JSON.parse
 * has the last word: a later `link` (a key given twice) is seen only once the page is parsed.
 */
export function leadingNextLink(text: string): string | null {
  try {
    const top = skipSpace(text, 0);
    if (text.charCodeAt(top) !== OPEN_OBJECT) return null;
    let next: string | null = null;
    let atEntries = false;
    const end = eachMember(text, top, (key, start) => {
      if (key === 'entry') {
        atEntries = true;
        return -1; // stop: what comes after the entries is left to JSON.parse
      }
      const valueEnd = endOfValue(text, start);
      if (key === 'link') next = nextLinkOf(JSON.parse(text.slice(start, valueEnd)));
      return valueEnd;
    });
    // Stopped anywhere but at the entries (a key written with an escape), it has not read the links.
    return end >= 0 || atEntries ? next : null;
  } catch {
    return null;
  }
}

/** The page's resources, each with its text as sent where that can be cut out of the page. */
export function pageFrom({ bundle, text, date = null }: { bundle: Bundle; text: string; date?: string | null }): FhirPage {
  const entries = bundle.entry ?? [];
  const resources: unknown[] = [];
  /** For each resource, its entry's place in the page. */
  const places: number[] = [];
  entries.forEach((entry, index) => {
    if (entry.resource === undefined) return;
    resources.push(entry.resource);
    places.push(index);
  });
  // Cut out only when asked for: the cache keeps few resources as sent (case-mapping.ts).
  let texts: (string | null)[] | null = null;
  return {
    resources,
    get texts() {
      if (texts === null) {
        const cut = entryResourceTexts(text);
        const all = cut?.length === entries.length ? cut : null;
        texts = places.map((index) => all?.[index] ?? null);
      }
      return texts;
    },
    ...serverTimes(bundle.meta?.lastUpdated, date),
  };
}
