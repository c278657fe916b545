/** What the review pages share: escaping text for HTML and SVG, and the page skeleton. */

/** Escapes `& < > "` so that text can go into HTML or SVG content and attribute values. */
export function escapeMarkup(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

/** A complete HTML page: `title` is escaped here; `head` and `body` are markup already. */
export function htmlPage(page: { title: string; head?: string[]; body: string[] }): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeMarkup(page.title)}</title>`,
    ...(page.head ?? []),
    '</head>',
    '<body>',
    ...page.body,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}
