import { describe, expect, it } from 'vitest';
import type { Bundle } from '@medplum/fhirtypes';
import { entryResourceTexts, leadingNextLink, nextLinkOf, pageFrom, type FhirPage } from '../../electron/services/fhir/bundle-text';

/** What JSON.parse makes of each entry's resource, written out: the scan must agree with it. */
const parsedEntries = (text: string): (string | null)[] =>
  ((JSON.parse(text) as { entry?: { resource?: unknown }[] }).entry ?? []).map((e) => (e.resource === undefined ? null : JSON.stringify(e.resource)));

describe('cutting each resource out of a Bundle as sent', () => {
  const agreeing: [string, string][] = [
    ['compact', '{"resourceType":"Bundle","entry":[{"fullUrl":"x","resource":{"resourceType":"Task","id":"t1"}},{"resource":{"resourceType":"Task","id":"t2"},"search":{"mode":"match"}}]}'],
    ['pretty-printed', '{\n  "resourceType": "Bundle",\n  "entry": [\n    {\n      "resource": {\n        "resourceType": "Task",\n        "id": "t1"\n      }\n    }\n  ]\n}\n'],
    ['entry before other members, links after', '{"entry":[{"resource":{"id":"a","n":[1,2.5e3,-0,true,false,null]}}],"link":[{"relation":"next","url":"u"}],"resourceType":"Bundle"}'],
    ['braces, brackets and quotes inside strings', '{"resourceType":"Bundle","entry":[{"resource":{"text":"a } ] { [ \\" \\\\","note":"\\\\"}}]}'],
    ['a nested "resource" key and "entry" key inside a resource', '{"resourceType":"Bundle","entry":[{"resource":{"contained":[{"resource":{"id":"inner"}}],"entry":[1],"id":"outer"}}]}'],
    ['an entry without a resource', '{"resourceType":"Bundle","entry":[{"fullUrl":"x","response":{"status":"410"}},{"resource":{"id":"kept"}}]}'],
    ['no entries', '{"resourceType":"Bundle","total":0}'],
    ['an empty entry array', '{"resourceType":"Bundle","entry":[]}'],
    ['non-ASCII text', '{"resourceType":"Bundle","entry":[{"resource":{"name":"Zoë Ōtsuka 🙂","id":"p"}}]}'],
  ];
  it.each(agreeing)('%s: the same resources as JSON.parse, in order', (_case, text) => {
    const cut = entryResourceTexts(text);
    expect(cut?.map((t) => (t === null ? null : JSON.stringify(JSON.parse(t))))).toEqual(parsedEntries(text));
  });

  it('gives the text exactly as sent, spacing included', () => {
    const resource = '{ "resourceType" : "Task",\n "id":"t1" }';
    expect(entryResourceTexts(`{"entry": [ {"resource" : ${resource} } ]}`)).toEqual([resource]);
  });

  it('counts a key given twice the last time, as JSON.parse does', () => {
    const text = '{"entry":[{"resource":{"id":"first"}}],"entry":[{"resource":{"id":"a"},"resource":{"id":"b"}}]}';
    expect(entryResourceTexts(text)).toEqual(['{"id":"b"}']);
    expect(parsedEntries(text)).toEqual(['{"id":"b"}']);
  });

  const unreadable: [string, string][] = [
    ['a key written with an escape', '{"\\u0065ntry":[{"resource":{"id":"a"}}]}'],
    ['an entry key written with an escape', '{"entry":[{"\\u0072esource":{"id":"a"}}]}'],
    ['entry not an array', '{"entry":{"resource":{}}}'],
    ['an entry not an object', '{"entry":[3]}'],
    ['not an object at all', '[1,2]'],
    ['cut short', '{"entry":[{"resource":{"id":"a"'],
    ['an unterminated string', '{"entry":[{"resource":{"id":"a}}]}'],
  ];
  it.each(unreadable)('%s: null, so the caller writes each resource out instead', (_case, text) => {
    expect(entryResourceTexts(text)).toBeNull();
  });
});

describe("reading a page's next link before parsing it", () => {
  const cases: [string, string, string | null][] = [
    ['links before entries', '{"resourceType":"Bundle","link":[{"relation":"self","url":"s"},{"relation":"next","url":"n?_cursor=a%2Cb"}],"entry":[{"resource":{}}]}', 'n?_cursor=a%2Cb'],
    ['pretty-printed', '{\n  "resourceType" : "Bundle",\n  "link" : [ { "url" : "n", "relation" : "next" } ],\n  "entry" : [ ]\n}', 'n'],
    ['a url with escapes in it', '{"link":[{"relation":"next","url":"n?q=\\"x\\"&r=\\u00e9"}],"entry":[]}', 'n?q="x"&r=é'],
    ['no next link (the last page)', '{"resourceType":"Bundle","link":[{"relation":"self","url":"s"}],"entry":[]}', null],
    ['links after the entries: found only by parsing', '{"resourceType":"Bundle","entry":[{"resource":{"link":[{"relation":"next","url":"inner"}]}}],"link":[{"relation":"next","url":"n"}]}', null],
    ['no links at all', '{"resourceType":"Bundle","total":0}', null],
    ['a link that is not a list', '{"link":{"relation":"next","url":"n"},"entry":[]}', null],
    ['a next link without a url', '{"link":[{"relation":"next"}],"entry":[]}', null],
    ['a url that is not text', '{"link":[{"relation":"next","url":7}],"entry":[]}', null],
    ['an empty url', '{"link":[{"relation":"next","url":""}],"entry":[]}', null],
    ['the link key written with an escape', '{"\\u006cink":[{"relation":"next","url":"n"}],"entry":[]}', null],
    ['a second link key, written with an escape, before the entries', '{"link":[{"relation":"next","url":"a"}],"\\u006cink":[{"relation":"next","url":"b"}],"entry":[]}', null],
    ['cut short', '{"resourceType":"Bundle","link":[{"relation":"next","url":"n"', null],
    ['not an object', '[{"link":[{"relation":"next","url":"n"}]}]', null],
  ];
  it.each(cases)('%s', (_case, text, expected) => {
    expect(leadingNextLink(text)).toBe(expected);
  });

  it('agrees with JSON.parse wherever it finds a link', () => {
    for (const [, text, expected] of cases) {
      if (expected === null) continue;
      expect(nextLinkOf((JSON.parse(text) as { link?: unknown }).link)).toBe(expected);
    }
  });

  const malformed: [string, unknown][] = [
    ['not a list', { relation: 'next', url: 'n' }],
    ['a link that is not an object', ['n']],
    ['a next link without a url', [{ relation: 'next' }]],
    ['a url that is not text', [{ relation: 'next', url: 7 }]],
    ['an empty url', [{ relation: 'next', url: '' }]],
  ];
  it.each(malformed)('refuses links that cannot be read (%s), never taking the page for the last', (_case, links) => {
    expect(() => nextLinkOf(links)).toThrow();
  });

  it('finds no next link on a last page', () => {
    expect(nextLinkOf(undefined)).toBeNull();
    expect(nextLinkOf([])).toBeNull();
    expect(nextLinkOf([{ relation: 'self', url: 's' }, { relation: 'previous', url: 'p' }])).toBeNull();
  });

  it('takes the last of two links before the entries, as JSON.parse does', () => {
    const text = '{"link":[{"relation":"next","url":"first"}],"link":[{"relation":"next","url":"second"}],"entry":[]}';
    expect(leadingNextLink(text)).toBe('second');
    expect(nextLinkOf((JSON.parse(text) as { link?: unknown }).link)).toBe('second');
  });
});

describe('a page of a search, as the client hands it over', () => {
  const page = (text: string): FhirPage => pageFrom({ bundle: JSON.parse(text) as Bundle, text });

  it('pairs each resource with its text, leaving out entries without one (a 410 in a history page)', () => {
    const text = '{"resourceType":"Bundle","meta":{"lastUpdated":"2026-11-25T12:00:00.000Z"},"entry":[{"resource":{"resourceType":"Task","id":"a"}},{"fullUrl":"Task/b","response":{"status":"410 Gone"}},{"resource":{"resourceType":"Task", "id":"c"}}]}';
    expect(page(text)).toEqual({
      resources: [{ resourceType: 'Task', id: 'a' }, { resourceType: 'Task', id: 'c' }],
      texts: ['{"resourceType":"Task","id":"a"}', '{"resourceType":"Task", "id":"c"}'],
      servedAt: '2026-11-25T12:00:00.000Z',
      answeredAt: null,
    });
  });

  it('has no texts where the page cannot be cut, so each resource is written out instead', () => {
    const text = '{"resourceType":"Bundle","\\u0065ntry":[{"resource":{"resourceType":"Task","id":"a"}}]}';
    expect(page(text)).toEqual({ resources: [{ resourceType: 'Task', id: 'a' }], texts: [null], servedAt: null, answeredAt: null });
  });
});
