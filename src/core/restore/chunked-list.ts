import type { KeyValue } from '../../ports';

/**
 * A long list kept in KVS as numbered chunks, because one KVS value holds at most 240 KiB. Chunks are cut by size,
 * so a few large items still fit; an item too large for any chunk is refused with `tooLarge`'s message.
 */
const CHUNK_BYTES = 180 * 1024;

/** Writes `items` as `<prefix>:<index>` and answers how many chunks it wrote. */
export async function saveChunks<T>(kv: KeyValue, prefix: string, items: T[], tooLarge: (item: T, bytes: number) => string): Promise<number> {
  const chunks: T[][] = [];
  let current: T[] = [];
  let size = 0;
  for (const item of items) {
    const bytes = JSON.stringify(item).length * 2; // UTF-16 upper bound of UTF-8 size for safety with non-ASCII
    if (bytes > CHUNK_BYTES) throw new Error(tooLarge(item, bytes));
    if (current.length > 0 && size + bytes > CHUNK_BYTES) {
      chunks.push(current);
      current = [];
      size = 0;
    }
    current.push(item);
    size += bytes;
  }
  if (current.length > 0) chunks.push(current);
  for (let index = 0; index < chunks.length; index++) await kv.set(`${prefix}:${index}`, chunks[index]);
  return chunks.length;
}

/** Reads `count` chunks written by saveChunks; undefined when one is missing (the list was never fully stored). */
export async function loadChunks<T>(kv: KeyValue, prefix: string, count: number): Promise<T[] | undefined> {
  const items: T[] = [];
  for (let index = 0; index < count; index++) {
    const chunk = await kv.get<T[]>(`${prefix}:${index}`);
    if (!chunk) return undefined;
    items.push(...chunk);
  }
  return items;
}
