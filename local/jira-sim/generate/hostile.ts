/**
 * Hostile content the generator sprinkles through a site, because a backup must carry every byte of it
 * unchanged: multi-byte unicode, emoji (astral plane, ZWJ sequences), right-to-left text, combining marks,
 * control-like characters, markup that must not be interpreted, and names that are dangerous as file paths.
 */

export const HOSTILE_TEXT: readonly string[] = [
  'Ünïcödé façade — naïve café, Ærøskøbing, Łódź, İstanbul',
  'Emoji 🚀🔥💾 family 👨‍👩‍👧‍👦 flag 🇳🇿 skin 👍🏽',
  'עברית: גיבוי ושחזור של האתר',
  'العربية: النسخ الاحتياطي والاستعادة',
  'Mixed RTL ‮override‬ and ‏marks‎ inline',
  '中文备份与恢复 · 日本語のバックアップ · 한국어 백업',
  'Combining: Z̷̢͎a̴̡l̸g̵o̶ t̷e̸x̵t̴',
  'Zero width: a\u200bb\u200cc\u200dd\ufeffe',
  '<script>alert("xss")</script> & <b>not bold</b> &amp; &lt;',
  '{"looks": "like json"} \\ backslash "quotes" \'single\'',
  'Line one\nLine two\r\nLine three\ttabbed',
  'SQL: \'; DROP TABLE issues; --',
  'Math 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛 ∑∫√∞ ≠ ≤ ≥',
  'Surrogate edge 𐐷 𤭢 and BOM \ufeff at start',
  '${jndi:ldap://example.invalid/a} {{template}} %s %n',
];

/** Attachment names that break naive code that writes them to disk or into archives. */
export const HOSTILE_FILENAMES: readonly string[] = [
  '../../etc/passwd',
  'CON.txt',
  'NUL',
  'aux.log',
  'COM1.json',
  '..\\..\\windows\\system32\\drivers\\etc\\hosts',
  'résumé (final) v2 — 副本.pdf',
  '🚀 launch plan.png',
  'file with trailing dot.',
  ' leading space.txt',
  'name:with:colons?.csv',
  'a'.repeat(200) + '.txt',
  '.hidden',
  'same-name.txt',
  'same-name.txt',
  'no-extension',
  'ملف.docx',
];

const WORDS = [
  'backup', 'restore', 'login', 'page', 'crash', 'export', 'import', 'report', 'sync', 'dashboard', 'search', 'cache',
  'timeout', 'upload', 'billing', 'invoice', 'email', 'token', 'mobile', 'widget', 'latency', 'database', 'index',
  'permission', 'settings', 'release', 'sprint', 'migration', 'API', 'webhook', 'theme', 'filter', 'query', 'queue',
];
const VERBS = ['Fix', 'Add', 'Improve', 'Remove', 'Investigate', 'Refactor', 'Document', 'Support', 'Handle', 'Speed up'];

/** A short English-ish sentence from two random numbers, without allocating arrays per call. */
export function sentence(r1: number, r2: number, r3: number): string {
  const verb = VERBS[Math.floor(r1 * VERBS.length)];
  const a = WORDS[Math.floor(r2 * WORDS.length)];
  const b = WORDS[Math.floor(r3 * WORDS.length)];
  return `${verb} ${a} ${b}`;
}

/** A very long text (tens of KB) built once and shared by every issue that uses it. */
export const VERY_LONG_TEXT = (() => {
  const parts: string[] = [];
  for (let i = 0; parts.join('').length < 40_000; i++) parts.push(`Paragraph ${i}: ${HOSTILE_TEXT[i % HOSTILE_TEXT.length]}. `);
  return parts.join('');
})();

/** Summaries are limited to 255 characters by Jira; this one sits right at the limit with multi-byte content. */
export const LONGEST_SUMMARY = ('Ω🚀 long summary ' + 'x'.repeat(300)).slice(0, 255);
